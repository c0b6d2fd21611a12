import { Injectable, Logger } from '@nestjs/common';
import { ConfigReader } from '../cache/config-reader.service.js';
import { FollowedChanges } from '../cache/followed-changes.js';
import { EvaluationFailedError, NotFoundError } from '../common/errors/proxy-error.js';
import { AppConfig } from '../config/app-config.js';
import type { Evaluation } from '../model/evaluation.js';
import type { FlagSet } from '../cache/flag-set.js';
import type { SegmentSet } from '../cache/segment-set.js';
import type { Target } from '../model/target.js';
import { EnvironmentEvaluator } from './environment-evaluator.js';
import { decodeTargetHeader } from './target-resolver.js';

interface ResolvedTarget {
  target: Target;
  /** Identifies the target's content, for memoisation. */
  key: string;
}

/** The client-SDK evaluation routes (docs/sdk-api.md). */
@Injectable()
export class ClientEvaluationService {
  private readonly logger = new Logger(ClientEvaluationService.name);
  private readonly evaluators = new Map<string, EnvironmentEvaluator>();

  constructor(
    private readonly reader: ConfigReader,
    private readonly config: AppConfig,
    private readonly followed: FollowedChanges,
  ) {}

  /**
   * Client SDKs fetch these after each event (a segment's: the whole list), so a replica waits.
   * A new target whose environment is in memory is answered with no await at all: this is the
   * route browsers call on every page load.
   */
  async evaluations(env: string, targetId: string, header?: string): Promise<Buffer> {
    if (this.followed.following) {
      await this.followed.caughtUp();
    }
    const evaluator = this.evaluatorInMemory(env) ?? (await this.evaluator(env));
    if (header) {
      // A browser sends the same header on every call: answer a repeat without decoding it.
      const headerKey = evaluator.keyOf(`h:${header}`);
      const repeat = evaluator.lookup(headerKey);
      if (repeat) {
        return repeat;
      }
      const fromHeader = decodeTargetHeader(header);
      if (fromHeader) {
        return evaluator.all(headerKey, fromHeader);
      }
      this.logger.debug(
        { env, target: targetId },
        'unusable Harness-Target header: using stored target',
      );
    }
    const resolved = await this.storedTarget(env, targetId);
    return evaluator.all(evaluator.keyOf(resolved.key), resolved.target);
  }

  async evaluation(
    env: string,
    targetId: string,
    feature: string,
    header?: string,
  ): Promise<Evaluation> {
    await this.followed.caughtUp();
    const [evaluator, resolved] = await Promise.all([
      this.evaluator(env),
      this.resolveTarget(env, targetId, header),
    ]);
    const result = evaluator.one(feature, resolved.target);
    switch (result.status) {
      case 'ok':
        return result.evaluation;
      case 'unknown-flag':
        throw new NotFoundError();
      case 'error':
      default:
        throw new EvaluationFailedError(feature);
    }
  }

  private async evaluator(env: string): Promise<EnvironmentEvaluator> {
    const [flags, segments] = await Promise.all([
      this.reader.flags(env),
      this.reader.segments(env),
    ]);
    return this.evaluatorOf(env, flags, segments);
  }

  private evaluatorInMemory(env: string): EnvironmentEvaluator | undefined {
    const lists = this.reader.listsInMemory(env);
    return lists && this.evaluatorOf(env, lists.flags, lists.segments);
  }

  /** The evaluator of this version of the environment, made once per version. */
  private evaluatorOf(env: string, flags: FlagSet, segments: SegmentSet): EnvironmentEvaluator {
    let evaluator = this.evaluators.get(env);
    if (!evaluator?.isFor(flags, segments)) {
      evaluator = new EnvironmentEvaluator(flags, segments, {
        doubleEncodeJson: this.config.compat.jsonEvaluationDoubleEncode,
        andRules: this.config.compat.andRules,
      });
      this.evaluators.set(env, evaluator);
    }
    return evaluator;
  }

  /** Header target as sent, else the one stored at `/client/auth`, else just the identifier. */
  private async resolveTarget(env: string, id: string, header?: string): Promise<ResolvedTarget> {
    const fromHeader = decodeTargetHeader(header);
    if (fromHeader) {
      return { target: fromHeader, key: `h:${header}` };
    }
    if (header) {
      this.logger.debug({ env, target: id }, 'unusable Harness-Target header: using stored target');
    }
    return this.storedTarget(env, id);
  }

  /** The target stored at `/client/auth`, else just the identifier. */
  private async storedTarget(env: string, id: string): Promise<ResolvedTarget> {
    const stored = await this.reader.target(env, id);
    return stored
      ? { target: stored, key: `s:${JSON.stringify(stored)}` }
      : { target: { identifier: id }, key: `i:${id}` };
  }
}
