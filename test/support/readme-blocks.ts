import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The path of a page under `docs/`, e.g. `docsPage('admin-api.md')`, for the helpers below. */
export function docsPage(name: string): string {
  return fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));
}

/** The repository-relative name of a page, for error messages. */
function pageName(path: string): string {
  return path === README ? 'README' : path.replace(/^.*\/(docs\/)/, '$1');
}

/** One fenced code block of a Markdown file, with the heading it is under. */
export interface CodeBlock {
  lang: string;
  code: string;
  /** The nearest heading above it, without its `#`s. */
  section: string;
}

/** Every fenced block of the README (or of the page at `path`), in order. */
export function readmeBlocks(path = README): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let section = '';
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push({ lang: open.lang, code: open.lines.join('\n'), section });
        open = undefined;
      } else {
        open.lines.push(line);
      }
    } else if (line.startsWith('```')) {
      open = { lang: line.slice(3).trim(), lines: [] };
    } else if (/^#{1,6} /.test(line)) {
      section = line.replace(/^#+ /, '');
    }
  }
  return blocks;
}

/**
 * The one block of `lang` in `section` of the README (or of the page at `path`) for which `has`
 * holds; throws if there is not exactly one.
 */
export function readmeBlock(section: string, lang: string, has: string, path = README): CodeBlock {
  const found = readmeBlocks(path).filter(
    (b) => b.section === section && b.lang === lang && b.code.includes(has),
  );
  if (found.length !== 1) {
    throw new Error(
      `${pageName(path)}: ${found.length} ${lang} blocks with "${has}" under "${section}"`,
    );
  }
  return found[0] as CodeBlock;
}

/** The text of the README's (or the page's) section under `heading`, up to the next heading. */
export function readmeSection(heading: string, path = README): string {
  const lines = readFileSync(path, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.replace(/^#+ /, '') === heading);
  if (start < 0) {
    throw new Error(`${pageName(path)}: no section "${heading}"`);
  }
  const end = lines.findIndex((line, i) => i > start && /^#{1,6} /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The commands of a shell block, each with its `\`-continued lines joined; comments dropped. */
export function shellCommands(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
