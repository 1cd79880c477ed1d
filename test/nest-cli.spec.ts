import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * nest-cli.json is the map of the monorepo a Nest developer reads first. It must name every app and lib that
 * exists, each with a root, source root and entry file that exist, and nothing that does not. The build itself
 * is scripts/build.mjs (swc), so the file must not promise a Nest CLI builder or schematics collection that
 * is not installed.
 */
const ROOT = process.cwd();

interface Project {
  type: 'application' | 'library';
  root: string;
  sourceRoot: string;
  entryFile: string;
}

const config = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as {
  projects: Record<string, Project>;
  collection?: string;
  compilerOptions?: { builder?: unknown };
};
const dependencies = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function dirs(top: string): string[] {
  return readdirSync(join(ROOT, top), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, top, entry.name, 'src')))
    .map((entry) => entry.name)
    .sort();
}

describe('nest-cli.json', () => {
  it('lists exactly the apps and libs in the tree', () => {
    const expected = [
      ...dirs('apps').map((name) => `application:apps/${name}`),
      ...dirs('libs').map((name) => `library:libs/${name}`),
    ].sort();
    const listed = Object.values(config.projects)
      .map((project) => `${project.type}:${project.root}`)
      .sort();
    expect(listed).toEqual(expected);
  });

  it('points every project at a source root and an entry file that exist', () => {
    for (const [name, project] of Object.entries(config.projects)) {
      expect({ name, sourceRoot: project.sourceRoot }).toEqual({ name, sourceRoot: `${project.root}/src` });
      // The web console's entry is main.tsx (React); every other project's is .ts.
      const entry = join(ROOT, project.sourceRoot, project.entryFile);
      expect({ name, entry: existsSync(`${entry}.ts`) || existsSync(`${entry}.tsx`) }).toEqual({
        name,
        entry: true,
      });
    }
  });

  it('promises no Nest CLI tooling that is not installed', () => {
    const installed = { ...dependencies.dependencies, ...dependencies.devDependencies };
    if (config.collection) expect(installed).toHaveProperty([config.collection]);
    if (config.compilerOptions?.builder) expect(installed).toHaveProperty(['@nestjs/cli']);
  });
});
