import {
  type ChangeSet,
  changeSet,
  type DriftPolicy,
  entryKey,
  type OffboardingFileVersion,
  type PlanEntry,
  type Provenance,
  parseOffboardingFile,
  provenanceFromRecord,
  type ReviewedPlan,
} from '@smartsheet-offboard/core';
import { checkApprovals } from './approvals.js';
import { offboardingPaths, readTwoVersions } from './change-set.js';
import { type GitHubApi, type PullRequestInfo, shortSha } from './github.js';
import { readReviewedState } from './reviewed-plan.js';

/**
 * How many commits of one file's history a run walks back to find the commit that added an entry. An entry
 * older than that has no provenance the run can show: it is refused, never applied on trust.
 */
export const MAX_HISTORY_COMMITS = 100;

/**
 * How many commits may have landed on the branch since the merge of the pull request that added an entry:
 * each is checked for a removal of the entry (see `removalSince`). More than that, and the entry is refused.
 */
export const MAX_COMMITS_SINCE_MERGE = 250;

export interface ProvenanceSettings {
  /** The default branch and the commit of it whose files are reconciled. */
  branch: string;
  head: string;
  globs: readonly string[];
  requiredApprovals: number;
  /** The Smartsheet token: the reviewed-plan records are authenticated with it. */
  token: string;
  /** `owner/repo`, the records' scope. */
  scope: string;
  /**
   * What the run does about drift: only with `revert` is a user an apply deactivated deactivated again,
   * so only then must nothing have removed their entry since (with `report` and `ignore` nothing is done to
   * them, and the check, whose cost grows with the commits since the merge, is left out).
   */
  drift: DriftPolicy;
}

/** What one commit did to the offboarding files it touches, compared with its first parent. */
interface CommitChange {
  sha: string;
  parent?: string;
  before: OffboardingFileVersion[];
  change: ChangeSet;
}

/** Whether a merged pull request may be trusted for the entries it added, decided once per pull request. */
type PullRequestVerdict =
  | {
      kind: 'approved';
      pr: PullRequestInfo;
      added: Set<string>;
      provenanceOf: (entry: PlanEntry) => Provenance;
      record?: ReviewedPlan;
    }
  | { kind: 'refused'; pr: PullRequestInfo; added: Set<string>; message: string };

/**
 * Establishes, through GitHub, where each entry of the default branch came from: the commit that added it
 * (walking its file's history back from `head`, following moves and renames), the merged pull request that
 * commit belongs to, that pull request's approvals (the same rules as an apply on push) and its authenticated
 * reviewed-plan record (the user reviewers saw, and whether an apply already deactivated them). Answers
 * are cached per commit and per pull request, so entries a pull request added together cost one lookup.
 */
export class ProvenanceTracer {
  private readonly histories = new Map<string, Promise<string[]>>();
  private readonly commits = new Map<string, Promise<CommitChange>>();
  private readonly verdicts = new Map<number, Promise<PullRequestVerdict>>();
  private readonly landed = new Map<number, Promise<{ commits: string[] } | { message: string }>>();

  constructor(
    private readonly api: GitHubApi,
    private readonly settings: ProvenanceSettings,
  ) {}

  /** The provenance of every entry, looked up one entry at a time (GitHub asks integrations not to burst). */
  async trace(entries: readonly PlanEntry[]): Promise<(entry: PlanEntry) => Provenance> {
    const found = new Map<PlanEntry, Provenance>();
    for (const entry of entries) found.set(entry, await this.provenance(entry));
    return (entry) =>
      found.get(entry) ?? { kind: 'missing', message: `${entry.target.given}: no provenance was looked up.` };
  }

  /** The authenticated records of the approved pull requests looked up so far: where applies are recorded. */
  async records(): Promise<{ pr: PullRequestInfo; record: ReviewedPlan }[]> {
    const found: { pr: PullRequestInfo; record: ReviewedPlan }[] = [];
    for (const verdict of await Promise.all(this.verdicts.values())) {
      if (verdict.kind === 'approved' && verdict.record)
        found.push({ pr: verdict.pr, record: verdict.record });
    }
    return found;
  }

  private async provenance(entry: PlanEntry): Promise<Provenance> {
    const { target } = entry;
    const where = 'file' in target.source ? target.source : undefined;
    if (!where) return { kind: 'missing', message: `${target.given} is not from an offboarding file.` };
    const entryName = `${target.given} (${where.file} line ${where.line})`;
    const introduced = await this.introducingCommit(entry, where.file);
    if ('message' in introduced) return { kind: 'missing', message: `${entryName}: ${introduced.message}` };

    const key = entryKey(target);
    const merged = (await this.api.pullRequestsForCommit(introduced.sha)).filter(
      (pr) => pr.merged && pr.baseRef === this.settings.branch,
    );
    for (const candidate of merged) {
      const verdict = await this.verdictFor(candidate);
      if (!verdict.added.has(key)) continue;
      if (verdict.kind === 'refused') return { kind: 'missing', message: `${entryName}: ${verdict.message}` };
      const found = verdict.provenanceOf(entry);
      if (found.kind === 'approved' && found.applied && this.settings.drift !== 'revert') return found;
      const removal = await this.removalSince(verdict.pr, key);
      return removal ? { kind: 'missing', message: `${entryName}: ${removal}` } : found;
    }
    return {
      kind: 'missing',
      message:
        `${entryName} was added by commit ${shortSha(introduced.sha)}, which belongs to no pull request merged ` +
        `into ${this.settings.branch} that adds it, so nobody approved it. Nothing is done to it: remove it ` +
        'and add it again through a pull request.',
    };
  }

  /**
   * The newest commit on the way back from `head` whose change adds the entry (same person, same leave
   * date). A commit that only moved it (a rename, another file) sends the walk on through the file it came
   * from; one that only re-worded it is passed over.
   */
  private async introducingCommit(
    entry: PlanEntry,
    file: string,
  ): Promise<{ sha: string } | { message: string }> {
    const key = entryKey(entry.target);
    let path = file;
    let from = this.settings.head;
    let walked = 0;
    for (;;) {
      const history = await this.history(path, from);
      let movedFrom: { path: string; parent: string } | undefined;
      for (const sha of history) {
        walked++;
        if (walked > MAX_HISTORY_COMMITS) break;
        const commit = await this.commitChange(sha);
        if (commit.change.added.some((target) => entryKey(target) === key)) return { sha };
        if (!commit.change.kept.some((target) => entryKey(target) === key) || !commit.parent) continue;
        const previous = fileNaming(commit.before, key);
        if (previous !== undefined && previous !== path) {
          movedFrom = { path: previous, parent: commit.parent };
          break;
        }
      }
      if (walked > MAX_HISTORY_COMMITS) {
        return {
          message:
            `no commit among the last ${MAX_HISTORY_COMMITS} that changed its file adds it, so where it came from ` +
            'cannot be shown. Nothing is done to it: apply it by hand (workflow_dispatch with user-ids) if it is due.',
        };
      }
      if (!movedFrom) {
        return {
          message:
            `no commit in the history of ${path} adds it, so where it came from cannot be shown. Nothing is done ` +
            'to it.',
        };
      }
      ({ path, parent: from } = movedFrom);
    }
  }

  /**
   * Why the entry is not the one the pull request added, if a commit that landed after its merge removed
   * it. GitHub's history of a file follows only one side of a merge whose file matches that side, and dates
   * order the rest, so a merge that takes the file from a branch cut before a removal (pushed straight to
   * the branch, or in a pull request's head) brings an entry back without any listed commit adding it:
   * every commit since the merge is checked instead, whichever side it came from.
   */
  private async removalSince(pr: PullRequestInfo, key: string): Promise<string | undefined> {
    const since = await cached(this.landed, pr.number, () => this.landedSince(pr));
    if ('message' in since) return since.message;
    for (const sha of since.commits) {
      const commit = await this.commitChange(sha);
      if (commit.change.removed.some((target) => entryKey(target) === key)) {
        return (
          `added by pull request #${pr.number}, but commit ${shortSha(sha)}, which landed after that pull request ` +
          'was merged, removed it, and no pull request merged since adds it again; nothing is done to it. Add ' +
          'it again through a pull request.'
        );
      }
    }
    return undefined;
  }

  /** The commits of the branch head that the pull request's merge does not have (every side of every merge). */
  private async landedSince(pr: PullRequestInfo): Promise<{ commits: string[] } | { message: string }> {
    const { settings } = this;
    const merged = pr.mergeCommitSha!;
    const comparison = await this.api.compareCommits(merged, settings.head);
    if (comparison.status === 'diverged' || comparison.status === 'behind') {
      return {
        message:
          `added by pull request #${pr.number}, whose merge ${shortSha(merged)} is not in the history of ` +
          `${settings.branch}; nothing is done to it.`,
      };
    }
    if (comparison.commits.length > MAX_COMMITS_SINCE_MERGE) {
      return {
        message:
          `added by pull request #${pr.number}, but more than ${MAX_COMMITS_SINCE_MERGE} commits landed since ` +
          'it was merged, so whether one of them removed the entry cannot be checked. Nothing is done to it: ' +
          'apply it by hand (workflow_dispatch with user-ids) if it is due.',
      };
    }
    return { commits: comparison.commits };
  }

  private history(path: string, from: string): Promise<string[]> {
    return cached(this.histories, `${path}@${from}`, () =>
      // One more than the walk may take, to tell a history cut short from one that ended.
      this.api.listCommitsForPath(path, from, MAX_HISTORY_COMMITS + 1),
    );
  }

  private commitChange(sha: string): Promise<CommitChange> {
    return cached(this.commits, sha, async () => {
      const commit = await this.api.getCommit(sha);
      const parent = commit.parents[0];
      const paths = offboardingPaths(commit.files, this.settings.globs);
      const versions = await readTwoVersions(this.api, paths, parent, sha);
      return { sha, parent, before: versions.before, change: changeSet(versions.before, versions.after) };
    });
  }

  /**
   * A merged pull request's verdict: the entries it added (its final commit compared with where it left the
   * branch its merge landed on), whether it passes the approval rules, and its reviewed-plan record.
   */
  private verdictFor(listed: PullRequestInfo): Promise<PullRequestVerdict> {
    return cached(this.verdicts, listed.number, async () => {
      const { api, settings } = this;
      const pr = await api.getPullRequest(listed.number);
      const added = new Set<string>();
      if (!pr.mergeCommitSha) {
        return { kind: 'refused', pr, added, message: `pull request #${pr.number} has no merge commit.` };
      }
      const landedOn = (await api.getCommit(pr.mergeCommitSha)).parents[0] ?? pr.mergeCommitSha;
      const { mergeBase } = await api.compareCommits(landedOn, pr.headSha);
      const paths = offboardingPaths(await api.listPullRequestFiles(pr.number), settings.globs);
      const files = await readTwoVersions(api, paths, mergeBase, pr.headSha);
      for (const target of changeSet(files.before, files.after).added) added.add(entryKey(target));
      if (added.size === 0) {
        return { kind: 'refused', pr, added, message: `pull request #${pr.number} adds no entry.` };
      }

      const approvals = await checkApprovals(api, pr, settings.requiredApprovals);
      if (!approvals.satisfied) {
        return {
          kind: 'refused',
          pr,
          added,
          message: `added by pull request #${pr.number}, which does not pass the approval rules: ${approvals.message}`,
        };
      }
      const reviewed = await readReviewedState(api, pr, pr.headSha, settings.token, settings.scope);
      const why = `added by pull request #${pr.number}, but ${reviewed.problem ?? 'it has no reviewed plan'}; nothing is done to it.`;
      return {
        kind: 'approved',
        pr,
        added,
        provenanceOf: (entry) => provenanceFromRecord(entry, reviewed.record, why),
        ...(reviewed.record ? { record: reviewed.record } : {}),
      };
    });
  }
}

/** The file among `files` with an entry of this key, if any. */
function fileNaming(files: readonly OffboardingFileVersion[], key: string): string | undefined {
  return files.find((file) =>
    parseOffboardingFile(file.path, file.content).targets.some((target) => entryKey(target) === key),
  )?.path;
}

/** One lookup per key, shared by everyone who asks while it runs or after. */
function cached<K, V>(cache: Map<K, Promise<V>>, key: K, lookUp: () => Promise<V>): Promise<V> {
  let found = cache.get(key);
  if (!found) {
    found = lookUp();
    cache.set(key, found);
  }
  return found;
}
