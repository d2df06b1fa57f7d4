/**
 * The README and docs/ stay navigable: every relative link in README.md and in every .md file
 * under docs/ (recursively) reaches an existing file or folder, every `#anchor` into a markdown
 * file names one of its headings, and the README stays a front door of at most 200 lines.
 *
 * What counts as a link: `[text](target)`, `![alt](target)` and reference definitions
 * (`[label]: target`), outside fenced code blocks and inline code spans; a reference link
 * (`[text][label]`) must have its definition. Targets with a scheme (`https:`, `http:`,
 * `mailto:`...) are not checked.
 * A target is resolved against the folder of the file that links it; `#anchor` alone is the same file.
 *
 * How an anchor is matched, as GitHub builds heading ids (simplified): an ATX heading's text
 * (`#` to `######`; setext headings are not read), links replaced by their text, lowercased;
 * every character that is not a letter, a digit, a space, a hyphen or an underscore removed;
 * each space turned into a hyphen. GitHub's `-1`, `-2` suffixes for repeated headings are not
 * produced: link to the first heading of a name, or rename the heading.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

/** The GitHub heading slug, as described above. */
function slugOf(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The file's lines with fenced code blocks (``` or ~~~) blanked, so nothing inside them counts. */
function outsideFences(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (marker === undefined) return line;
      fence = marker;
      return '';
    }
    if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    return '';
  });
}

/** The slugs of a markdown file's ATX headings. */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const line of outsideFences(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading !== undefined) slugs.add(slugOf(heading));
  }
  return slugs;
}

/**
 * The relative link targets of a markdown file (`path`, `path#anchor` or `#anchor`), from inline
 * links and from reference definitions (`[label]: path`), and the labels of reference links
 * (`[text][label]`) that have no definition.
 */
function linksOf(markdown: string): { targets: string[]; undefinedLabels: string[] } {
  // Code spans may run over a line break, and so may a link's text: read the text as a whole.
  const prose = outsideFences(markdown)
    .join('\n')
    .replace(/(`+)[^`]*?\1/g, '');
  const found: string[] = [];
  for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
    found.push(match[1]!);
  const labels = new Set<string>();
  for (const match of prose.matchAll(/^ {0,3}\[([^\]]+)\]:\s*<?([^\s>]+)>?/gm)) {
    labels.add(match[1]!.toLowerCase());
    found.push(match[2]!);
  }
  const undefinedLabels = [...prose.matchAll(/\[[^\]]*\]\[([^\]]+)\]/g)]
    .map((match) => match[1]!)
    .filter((label) => !labels.has(label.toLowerCase()));
  return { targets: found.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target)), undefinedLabels };
}

function markdownFilesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return markdownFilesUnder(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Every broken link of one file, as `file: target (why)`. */
function brokenLinks(file: string): string[] {
  const broken: string[] = [];
  const name = relative(root, file);
  const { targets, undefinedLabels } = linksOf(readFileSync(file, 'utf8'));
  for (const label of undefinedLabels)
    broken.push(`${name}: [${label}] (a reference link with no definition)`);
  for (const target of targets) {
    const hash = target.indexOf('#');
    const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
    const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const resolved = pathPart === '' ? file : resolve(dirname(file), pathPart);
    if (!existsSync(resolved)) {
      broken.push(`${name}: ${target} (no such file or folder)`);
      continue;
    }
    if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) continue;
    if (!headingSlugs(readFileSync(resolved, 'utf8')).has(anchor.toLowerCase())) {
      broken.push(`${name}: ${target} (no heading with the slug "${anchor}")`);
    }
  }
  return broken;
}

const documents = [join(root, 'README.md'), ...markdownFilesUnder(join(root, 'docs'))];

describe('the links of README.md and docs/', () => {
  it('reads the GitHub slug of a heading', () => {
    expect(slugOf('Releases: Worker Versioning')).toBe('releases-worker-versioning');
    expect(slugOf('The topology on one machine: `npm run stack`')).toBe(
      'the-topology-on-one-machine-npm-run-stack',
    );
    expect(slugOf('Retries, crashes and resets')).toBe('retries-crashes-and-resets');
    expect(slugOf('Dependencies, and why')).toBe('dependencies-and-why');
    expect(slugOf('Não é [um link](x.md)')).toBe('não-é-um-link');
  });

  it('finds inline links outside code only, and skips links with a scheme', () => {
    const markdown = [
      '# A title',
      'See [the API](docs/api.md#errors), [`src/`](src/) and [here](#a-title).',
      'Not `[code](nowhere.md)`, not [a site](https://example.com), not [mail](mailto:x@example.com).',
      '```sh',
      '[inside a fence](nowhere.md)',
      '```',
    ].join('\n');
    expect(linksOf(markdown)).toEqual({
      targets: ['docs/api.md#errors', 'src/', '#a-title'],
      undefinedLabels: [],
    });
    expect(headingSlugs(markdown)).toEqual(new Set(['a-title']));
  });

  it('finds reference definitions, and reference links without one', () => {
    const markdown = ['See [the API][api] and [the tests][tests].', '', '[API]: docs/api.md#keys'].join('\n');
    expect(linksOf(markdown)).toEqual({ targets: ['docs/api.md#keys'], undefinedLabels: ['tests'] });
  });

  it('finds README.md and the documents under docs/, docs/providers/ included', () => {
    const names = documents.map((file) => relative(root, file));
    expect(names).toContain('README.md');
    expect(names).toContain(join('docs', 'providers', 'README.md'));
  });

  it('resolves every relative link to a file or folder, and every anchor to a heading', () => {
    expect(documents.flatMap(brokenLinks)).toEqual([]);
  });

  it('keeps README.md at most 200 lines', () => {
    const text = readFileSync(join(root, 'README.md'), 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    expect(lines).toBeLessThanOrEqual(200);
  });
});
