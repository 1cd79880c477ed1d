import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import { TABLE_OWNERS } from '@brandshelf/db';

/**
 * One owner per table (libs/db/src/table-owners.ts): only a table's store writes it. Every TypeScript source under
 * libs/ and apps/ (not specs, tests, migrations or libs/testing, the test harness whose fixtures seed the rows a test
 * needs) is read for the two ways code writes a table:
 * - SQL in a string: INSERT INTO, UPDATE, DELETE FROM, TRUNCATE or COPY … FROM of a table, and openRowWriter(…,
 *   'table', …), which COPYs into the table it names;
 * - a TypeORM repository of an entity (InjectRepository, getRepository, Repository<E>, BrandScopedRepository<E>)
 *   or an EntityManager given the entity, asked to save, insert, update, delete, remove or upsert.
 * A file that does either for a table whose store it is not fails, named with the table.
 */
const ROOT = process.cwd();

function sources(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', 'libs', 'apps'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts'))
    .filter((path) => !/\/(migrations|test|__fixtures__)\//.test(path) && !path.startsWith('libs/testing/'))
    .filter((path) => existsSync(join(ROOT, path)));
}

/** Entity class → table, from every `@Entity('table') export class X`. */
export function entityTables(files: { path: string; text: string }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { text } of files) {
    for (const m of text.matchAll(/@Entity\(\s*'(\w+)'\s*\)\s*export\s+class\s+(\w+)/g)) map.set(m[2], m[1]);
  }
  return map;
}

/** The text of every string and template literal (a `${…}` becomes `${}`), so comments never count as SQL. */
function stringTexts(path: string, text: string): string[] {
  const out: string[] = [];
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      out.push(node.head.text + node.templateSpans.map((span) => '${}' + span.literal.text).join(''));
    }
    if (ts.isCallExpression(node) && /(^|\.)openRowWriter$/.test(node.expression.getText(file))) {
      const table = node.arguments[1];
      if (table && ts.isStringLiteral(table)) out.push(`COPY ${table.text} FROM STDIN`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

const SQL_WRITE =
  /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|COPY)\s+(?:ONLY\s+)?(?:public\.)?"?([a-z_][a-z0-9_]*)"?/gi;
const REPO_WRITE = '(save|insert|update|delete|remove|upsert|increment|decrement|softDelete|softRemove|restore|clear)';

export interface Write {
  table: string;
  how: string;
}

/** Every table `text` writes, and how. */
export function tableWrites(path: string, text: string, entities: Map<string, string>): Write[] {
  const tables = new Set(Object.keys(TABLE_OWNERS));
  const writes: Write[] = [];
  for (const sql of stringTexts(path, text)) {
    for (const m of sql.matchAll(SQL_WRITE)) {
      if (tables.has(m[2])) writes.push({ table: m[2], how: `${m[1].replace(/\s+/g, ' ').toUpperCase()} ${m[2]}` });
    }
  }

  // Imported under another name: `import { FeedEntity as Feed }`.
  const alias = new Map<string, string>();
  for (const m of text.matchAll(/\b(\w+)\s+as\s+(\w+)\b/g)) if (entities.has(m[1])) alias.set(m[2], m[1]);
  const table = (name: string | undefined): string | undefined =>
    name === undefined ? undefined : entities.get(alias.get(name) ?? name);
  const add = (name: string | undefined, how: string): void => {
    const t = table(name);
    if (t) writes.push({ table: t, how });
  };

  // getRepository(E).save(…), manager.getRepository<E>(E).update(…)
  for (const m of text.matchAll(
    new RegExp(`getRepository(?:<\\s*(\\w+)\\s*>)?\\(\\s*(\\w+)?\\s*\\)\\s*\\.\\s*${REPO_WRITE}\\s*\\(`, 'g'),
  )) {
    add(m[2] ?? m[1], `getRepository(${m[2] ?? m[1]}).${m[3]}`);
  }
  // manager.save(E, …), manager.update(E, …), queryBuilder.update(E) / .into(E) / .from(E)
  for (const m of text.matchAll(new RegExp(`\\.\\s*${REPO_WRITE}\\s*\\(\\s*(\\w+)\\s*[,)]`, 'g'))) {
    add(m[2], `.${m[1]}(${m[2]})`);
  }
  for (const m of text.matchAll(/\.\s*(?:insert|delete)\s*\(\s*\)\s*\.\s*(?:into|from)\s*\(\s*(\w+)/g)) {
    add(m[1], `query builder on ${m[1]}`);
  }

  // Names that hold a repository of an entity, then writes through them.
  const repos = new Map<string, string>();
  const hold = (name: string, entity: string | undefined): void => {
    if (table(entity)) repos.set(name, alias.get(entity!) ?? entity!);
  };
  for (const m of text.matchAll(
    /@InjectRepository\(\s*(\w+)\s*\)\s*(?:(?:private|protected|public|readonly)\s+)*(\w+)/g,
  ))
    hold(m[2], m[1]);
  for (const m of text.matchAll(/(\w+)\s*[:=]\s*(?:[\w.]*\.)?getRepository(?:<\s*\w+\s*>)?\(\s*(\w+)\s*\)/g))
    hold(m[1], m[2]);
  for (const m of text.matchAll(/(\w+)\s*[?!]?:\s*(?:BrandScopedRepository|Repository)<\s*(\w+)\s*>/g))
    hold(m[1], m[2]);
  for (const m of text.matchAll(/(\w+)\s*=\s*new\s+BrandScopedRepository(?:<\s*\w+\s*>)?\(\s*(?:this\.)?(\w+)/g)) {
    hold(m[1], repos.get(m[2]) ?? m[2]);
  }
  for (const [name, entity] of repos) {
    const write = new RegExp(
      `(?<![\\w.])(?:this\\.)?${name}(?:\\s*\\.\\s*with\\([^)]*\\))?\\s*\\.\\s*${REPO_WRITE}\\s*\\(`,
      'g',
    );
    for (const m of text.matchAll(write)) add(entity, `${name} (${entity} repository).${m[1]}`);
  }
  return writes;
}

/** "path: writes table (how), owned by Store (file)" for each write outside the table's store. */
export function violations(files: { path: string; text: string }[]): string[] {
  const entities = entityTables(files);
  const found = new Set<string>();
  for (const { path, text } of files) {
    for (const { table, how } of tableWrites(path, text, entities)) {
      const owner = TABLE_OWNERS[table];
      if (owner.file === path) continue;
      found.add(
        `${path}: writes ${table} (${how}); its owner is ${owner.store ?? 'no code'} (${owner.file ?? owner.note})`,
      );
    }
  }
  return [...found].sort();
}

/**
 * Public methods of `store` (in `text`) that take no tenant: none of their parameters is the brand (`ctx`,
 * `brandId`), the creator for a creator's own rows (`creatorId`, a CreatorContext), a row's owner (`owner`) or a target that carries the brand (`target`, `run` typed with brandId), and
 * their name does not start with `system`.
 */
export function methodsWithoutBrand(path: string, text: string, store: string): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.name?.text === store) {
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
        const modifiers = ts.getModifiers(member) ?? [];
        if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword))
          continue;
        const name = member.name.text;
        if (name.startsWith('system')) continue;
        const branded = member.parameters.some((p) => {
          const param = p.name.getText(file);
          const type = p.type?.getText(file) ?? '';
          return (
            ['ctx', 'brandId', 'owner', 'creatorId'].includes(param) ||
            /BrandContext|CreatorContext/.test(type) ||
            (['target', 'run'].includes(param) && /Target|Owner|brandId/.test(type))
          );
        });
        if (!branded) found.push(`${store}.${name}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function readAll(): { path: string; text: string }[] {
  return sources().map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
}

describe('one owner per table', () => {
  const entities = new Map([
    ['FeedEntity', 'feed'],
    ['IngestionRunEntity', 'ingestion_run'],
  ]);
  const writes = (text: string) => tableWrites('libs/x/src/x.ts', text, entities).map((w) => w.table);

  it('finds each way of writing a table (the check itself)', () => {
    expect(writes("db.query(`UPDATE ingestion_run SET status = 'QUEUED' WHERE id = $1`, [id])")).toEqual([
      'ingestion_run',
    ]);
    expect(writes("q('DELETE FROM feed WHERE id = $1')")).toEqual(['feed']);
    expect(writes('q(`WITH x AS (SELECT 1) INSERT INTO run_issue (a) SELECT 1`)')).toEqual(['run_issue']);
    expect(writes("openRowWriter(client, 'run_issue', ['a'], false)")).toEqual(['run_issue']);
    expect(writes('q(`COPY version_item (a) FROM STDIN`)')).toEqual(['version_item']);
    expect(writes("q('TRUNCATE catalog_product')")).toEqual(['catalog_product']);
    expect(writes('await manager.getRepository(FeedEntity).save({ id })')).toEqual(['feed']);
    expect(writes('await manager\n  .getRepository(IngestionRunEntity)\n  .update({ id }, changes)')).toEqual([
      'ingestion_run',
    ]);
    expect(writes('await manager.update(IngestionRunEntity, { id }, changes)')).toEqual(['ingestion_run']);
    expect(
      writes(
        'constructor(@InjectRepository(IngestionRunEntity) private readonly runs: Repository<IngestionRunEntity>) {}\n' +
          'f() { return this.runs.update({ id }, x); }',
      ),
    ).toEqual(['ingestion_run']);
    expect(
      writes(
        "import { FeedEntity as Feed } from './feed.entity.js';\n" +
          'constructor(@InjectRepository(Feed) repository: Repository<Feed>) {\n' +
          "  this.feeds = new BrandScopedRepository(repository, 'Feed');\n}\n" +
          'f(ctx) { return this.feeds.with(manager).delete(ctx, id); }',
      ),
    ).toEqual(['feed']);
    expect(writes('const stores = manager.getRepository(FeedEntity);\nawait stores.save(row);')).toEqual(['feed']);
  });

  it('does not count reads, locks, comments or other tables (the check itself)', () => {
    expect(writes("q('SELECT id FROM feed WHERE id = $1 FOR UPDATE NOWAIT')")).toEqual([]);
    expect(writes("q('INSERT INTO x (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 1')")).toEqual([]);
    expect(writes('// UPDATE feed SET x = 1\nconst a = 1;')).toEqual([]);
    expect(writes('q(`COPY (SELECT * FROM run_issue) TO STDOUT`)')).toEqual([]);
    expect(writes('this.runs.find({ where: { id } }); this.active.delete(key);')).toEqual([]);
    expect(writes("q(`UPDATE pgboss.job SET state = 'active'`)")).toEqual([]);
  });

  it('every table the migrations create has an owner, and every owner its store', () => {
    const migrations = execFileSync('git', ['ls-files', 'libs/db/src/migrations'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((p) => p.endsWith('.ts'));
    const created = new Set<string>();
    for (const path of migrations) {
      for (const m of readFileSync(join(ROOT, path), 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g)) {
        created.add(m[1]);
      }
    }
    expect([...created].filter((table) => !TABLE_OWNERS[table]).sort()).toEqual([]);
    const problems: string[] = [];
    for (const [table, owner] of Object.entries(TABLE_OWNERS)) {
      if (!existsSync(join(ROOT, 'libs', owner.lib))) continue; // a library not written yet
      if (!owner.file || !owner.store) continue;
      if (!owner.file.startsWith(`libs/${owner.lib}/src/`))
        problems.push(`${table}: ${owner.file} is not in ${owner.lib}`);
      else if (!existsSync(join(ROOT, owner.file))) problems.push(`${table}: ${owner.file} does not exist`);
      else if (!new RegExp(`export class ${owner.store}\\b`).test(readFileSync(join(ROOT, owner.file), 'utf8'))) {
        problems.push(`${table}: ${owner.file} does not export ${owner.store}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the README’s table of owners is this map', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| Library | Tables')).split('\n\n')[0];
    const documented: Record<string, string[]> = {};
    for (const row of table.split('\n').slice(2)) {
      const [, lib, tables] = row.split('|');
      documented[/`(\w+)`/.exec(lib)![1]] = [...tables.matchAll(/`(\w+)`/g)].map((m) => m[1]).sort();
    }
    const owned: Record<string, string[]> = {};
    for (const [name, { lib }] of Object.entries(TABLE_OWNERS)) (owned[lib] ??= []).push(name);
    for (const names of Object.values(owned)) names.sort();
    expect(documented).toEqual(owned);
  });

  it('finds a store method that takes no brand (the check itself)', () => {
    const text =
      'export class XStore {\n' +
      '  a(ctx: BrandContext, id: string) {}\n' +
      '  b(db: Queryable, brandId: string) {}\n' +
      '  systemSweep(days: number) {}\n' +
      '  c(id: string) {}\n' +
      '  private d(id: string) {}\n' +
      '}';
    expect(methodsWithoutBrand('x.ts', text, 'XStore')).toEqual(['XStore.c']);
  });

  it('every store method takes the brand, or is named system…', () => {
    const problems = Object.values(TABLE_OWNERS)
      .filter((owner) => owner.file && owner.store && existsSync(join(ROOT, owner.file)))
      .flatMap((owner) =>
        methodsWithoutBrand(owner.file!, readFileSync(join(ROOT, owner.file!), 'utf8'), owner.store!),
      );
    expect(problems).toEqual([]);
  });

  it('no library writes a table it does not own', () => {
    expect(violations(readAll())).toEqual([]);
  });
});
