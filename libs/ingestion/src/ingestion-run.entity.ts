import type { IssueCode, IssueSeverity, RunErrorCode } from '@brandshelf/catalog-rules';
import { ROW_SKIP_REASONS, type FeedDialect, type FeedFormat } from '@brandshelf/feeds';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

// Defined here once: the entity, the services and the GraphQL enums (apps/api) derive from these lists.
export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Items are staged while READING, so there is no phase of its own for staging. */
export const RUN_PHASES = ['QUEUED', 'FETCHING', 'READING', 'COMPARING', 'IMAGES', 'DONE'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];
/** Whether a run's version was published: NOT_PUBLISHED, PUBLISHED, or WAITING (auto-publish held back). */
export const PUBLISH_STATUSES = ['NOT_PUBLISHED', 'PUBLISHED', 'WAITING'] as const;
export type PublishStatus = (typeof PUBLISH_STATUSES)[number];
/** Why a read row is no item of its own: the readers' reasons, and a feed rule's exclusion. */
export const RUN_SKIP_REASONS = [...ROW_SKIP_REASONS, 'EXCLUDED_BY_RULE'] as const;
export type RunSkipReason = (typeof RUN_SKIP_REASONS)[number];
export const RUN_TRIGGERS = ['UPLOAD', 'FETCH', 'SCHEDULE', 'CLI', 'SYNC', 'SALE_WINDOW'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export interface IssueSummaryEntry {
  code: IssueCode;
  severity: IssueSeverity;
  attribute: string | null;
  count: number;
  sampleRows: number[];
}

const bigint = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('ingestion_run')
export class IngestionRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') brandId: string;
  @Column('uuid') feedId: string;
  @Column('text') trigger: RunTrigger;
  @Column('text') status: RunStatus;
  @Column('text') phase: RunPhase;
  @Column('boolean') validateOnly: boolean;
  @Column('text', { nullable: true }) sourceKey: string | null;
  @Column('text', { nullable: true }) sourceName: string | null;
  @Column('boolean') notModified: boolean;
  @Column('boolean') cancelRequested: boolean;
  @Column('integer') attempt: number;
  @Column('bigint', { transformer: bigint }) bytesRead: number;
  @Column('bigint', { nullable: true, transformer: bigint }) bytesTotal: number | null;
  @Column('integer') rowsRead: number;
  @Column('integer') rowsSkipped: number;
  @Column('jsonb') rowsSkippedByReason: { reason: string; count: number }[];
  @Column('integer') itemsAccepted: number;
  @Column('integer') itemsRejected: number;
  @Column('integer') warnings: number;
  @Column('integer') errors: number;
  @Column('integer', { nullable: true }) itemsCreated: number | null;
  @Column('integer', { nullable: true }) itemsUpdated: number | null;
  @Column('integer', { nullable: true }) itemsUnchanged: number | null;
  @Column('integer', { nullable: true }) itemsRemoved: number | null;
  @Column('integer') issuesStored: number;
  @Column('integer') imagesTotal: number;
  @Column('integer') imagesDone: number;
  @Column('integer') imagesFailed: number;
  @Column('integer') imagesSkipped: number;
  @Column('jsonb') issueSummary: IssueSummaryEntry[];
  @Column('text', { nullable: true }) detectedFormat: FeedFormat | null;
  @Column('text', { nullable: true }) dialect: FeedDialect | null;
  @Column('text', { nullable: true }) encoding: string | null;
  @Column('text', { nullable: true }) delimiter: string | null;
  @Column('jsonb', { nullable: true }) columns: { header: string; attribute: string }[] | null;
  @Column('uuid', { nullable: true }) versionId: string | null;
  @Column('text', { nullable: true }) errorCode: RunErrorCode | null;
  @Column('text', { nullable: true }) errorMessage: string | null;
  @Column('text', { nullable: true }) errorHint: string | null;
  /** NOT_PUBLISHED, PUBLISHED, or WAITING (auto-publish held back by a safety limit; see the reason). */
  @Column('text') publishStatus: PublishStatus;
  @Column('text', { nullable: true }) publishBlockedReason: string | null;
  @Column('timestamptz', { nullable: true }) publishedAt: Date | null;
  /** The feed's rule-set version this run applied (feed_rule_set.version); null when the feed had no rules. */
  @Column('integer', { nullable: true }) ruleSetVersion: number | null;
  /** Items a feed rule excluded (also counted in rowsSkipped as EXCLUDED_BY_RULE), by rule in excludedByRule. */
  @Column('integer') itemsExcluded: number;
  /** Items at least one feed rule changed. */
  @Column('integer') itemsChangedByRules: number;
  @Column('jsonb') excludedByRule: { ruleId: string; ruleName: string; count: number }[];
  /**
   * The instant the run judged sale_price_effective_date windows at: when it read, or (SALE_WINDOW) the scheduler's
   * tick that started it, set when the run is created. Null until it reads.
   */
  @Column('timestamptz', { nullable: true }) salesJudgedAt: Date | null;
  /** When a sale of the items it read next starts or ends (after salesJudgedAt); null when none will. */
  @Column('timestamptz', { nullable: true }) nextSaleChangeAt: Date | null;
  @Column('timestamptz') queuedAt: Date;
  @Column('timestamptz', { nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  @Column('timestamptz') updatedAt: Date;
}

export const TERMINAL_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
