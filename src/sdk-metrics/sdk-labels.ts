/** SDKs say what they are in attributes they fill themselves: Prometheus labels need bounds. */
const TYPES = new Set(['server', 'client', 'mobile']);
const LANGUAGE = /^[A-Za-z][A-Za-z0-9_.+-]{0,23}$/;
const VERSION = /^v?\d{1,4}(\.\d{1,6}){0,3}([-+][0-9A-Za-z.-]{1,24})?$/;
/** Distinct (type, version, language) label sets kept; more become `other`. */
const MAX_SETS = 256;

export const OTHER = 'other';

export interface SdkLabels {
  sdk_type: string;
  sdk_version: string;
  sdk_language: string;
}

/**
 * Turns what an SDK claims to be into label values with a bounded number of series: known
 * types, language and version strings of sane shape (short, as sent), and at most 256
 * combinations; anything else is `other`. Empty stays empty, as Harness reports it.
 */
export class SdkLabelBudget {
  private readonly seen = new Set<string>();

  labels(type: string, version: string, language: string): SdkLabels {
    const normalised = {
      sdk_type: type === '' || TYPES.has(type) ? type : OTHER,
      sdk_version: version === '' || VERSION.test(version) ? version : OTHER,
      sdk_language: language === '' || LANGUAGE.test(language) ? language : OTHER,
    };
    const key = `${normalised.sdk_type}\u0000${normalised.sdk_version}\u0000${normalised.sdk_language}`;
    if (this.seen.has(key)) {
      return normalised;
    }
    if (this.seen.size >= MAX_SETS) {
      return { sdk_type: OTHER, sdk_version: OTHER, sdk_language: OTHER };
    }
    this.seen.add(key);
    return normalised;
  }
}
