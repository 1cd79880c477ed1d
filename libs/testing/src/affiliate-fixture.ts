import { randomBytes } from 'node:crypto';

/** Anything that runs SQL (a TypeORM DataSource, a pg client). */
interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/**
 * TEST FIXTURE: share links and clicks written straight into the tables migration 11 creates, for tests of what
 * reads them (attribution, earnings). The affiliate library writes them in the product (programs, the /l/:code
 * redirect, buffered clicks); this fixture stands in for it and does none of its checks.
 */
export async function insertTestShareLink(
  db: Sql,
  link: { brandId: string; creatorId: string; productId: string; code?: string },
): Promise<{ id: string; code: string }> {
  const code = link.code ?? `t${randomBytes(6).toString('base64url')}`;
  const rows: { id: string }[] = await db.query(
    `INSERT INTO share_link (code, creator_id, brand_id, product_id) VALUES ($1, $2, $3, $4) RETURNING id`,
    [code, link.creatorId, link.brandId, link.productId],
  );
  return { id: rows[0].id, code };
}

/** TEST FIXTURE: one click on a share link at `clickedAt`, with the rate snapshotted (null: no program applied). */
export async function insertTestClick(
  db: Sql,
  link: { id: string },
  click: { clickedAt: Date; ratePercent: string | null; clickId?: string; rule?: string },
): Promise<string> {
  const clickId = click.clickId ?? `c${randomBytes(9).toString('base64url')}`;
  await db.query(
    `INSERT INTO affiliate_click (click_id, share_link_id, brand_id, creator_id, product_id, visitor_hash,
                                  rate_percent, commission_rule, clicked_at)
     SELECT $1, l.id, l.brand_id, l.creator_id, l.product_id, 'test-visitor', $3, $4, $5
       FROM share_link l WHERE l.id = $2`,
    [clickId, link.id, click.ratePercent, click.rule ?? 'OPEN_DEFAULT', click.clickedAt],
  );
  return clickId;
}
