import { describe, expect, it } from 'vitest';
import { Bm25Index, tokenize, weightedFrequencies } from './bm25.js';

const doc = (item: string, text: string, weight = 1) => ({
  item,
  parts: [{ tokens: tokenize(text), weight }],
});

describe('tokenize', () => {
  it('splits on separators and camelCase, lower-cases, drops stop words and plural s', () => {
    expect(tokenize('github__createIssue')).toEqual(['github', 'create', 'issue']);
    expect(tokenize('list-pull_requests')).toEqual(['list', 'pull', 'request']);
    expect(tokenize('parseHTMLDocument')).toEqual(['parse', 'html', 'document']);
    expect(tokenize('Get the status of an address')).toEqual(['get', 'status', 'address']);
    expect(tokenize('  ')).toEqual([]);
  });
});

describe('weightedFrequencies', () => {
  it('sums the weights a term appears with', () => {
    const frequencies = weightedFrequencies([
      { tokens: ['issue', 'create'], weight: 3 },
      { tokens: ['issue'], weight: 1 },
    ]);
    expect(Object.fromEntries(frequencies)).toEqual({ issue: 4, create: 3 });
  });
});

describe('Bm25Index', () => {
  const index = new Bm25Index([
    doc('weather', 'get the weather forecast for a city'),
    doc('issue', 'create an issue in a repository'),
    doc('comment', 'comment on an issue or a pull request, issue comments'),
    doc('file', 'read a file from the repository'),
  ]);

  it('ranks the documents that share query terms, best first', () => {
    const hits = index.search(tokenize('weather forecast'));
    expect(hits.map((h) => h.item)).toEqual(['weather']);
    expect(hits[0]!.score).toBeGreaterThan(0);
    // "issue" is in two documents; "create" only in one, so the issue document wins.
    expect(index.search(tokenize('create issue')).map((h) => h.item)).toEqual(['issue', 'comment']);
  });

  it('gives rare terms a higher idf than common ones, and never a negative one', () => {
    expect(index.idf('weather')).toBeGreaterThan(index.idf('issue'));
    expect(index.idf('issue')).toBeGreaterThan(0);
    const everywhere = new Bm25Index([doc('a', 'x y'), doc('b', 'x z')]);
    expect(everywhere.idf('x')).toBeGreaterThan(0);
    expect(everywhere.idf('x')).toBeLessThan(everywhere.idf('y'));
  });

  it('saturates term frequency and penalises long documents', () => {
    const saturating = new Bm25Index([doc('once', 'alpha beta'), doc('many', 'alpha alpha alpha alpha')]);
    const [first, second] = saturating.search(['alpha']);
    expect(first!.item).toBe('many');
    expect(first!.score).toBeLessThan(second!.score * 4);
    const lengths = new Bm25Index([
      doc('short', 'alpha'),
      doc('long', 'alpha beta gamma delta epsilon zeta'),
      doc('other', 'omega'),
    ]);
    expect(lengths.search(['alpha']).map((h) => h.item)).toEqual(['short', 'long']);
  });

  it('counts weighted parts more', () => {
    const weighted = new Bm25Index([
      {
        item: 'inName',
        parts: [
          { tokens: ['deploy'], weight: 3 },
          { tokens: ['run'], weight: 1 },
        ],
      },
      {
        item: 'inText',
        parts: [
          { tokens: ['run'], weight: 3 },
          { tokens: ['deploy'], weight: 1 },
        ],
      },
    ]);
    expect(weighted.search(['deploy']).map((h) => h.item)).toEqual(['inName', 'inText']);
  });

  it('finds nothing for an empty query, unknown words or a zero limit', () => {
    expect(index.search([])).toEqual([]);
    expect(index.search(['nonexistent'])).toEqual([]);
    expect(index.search(['issue'], 0)).toEqual([]);
    expect(new Bm25Index<string>([]).search(['issue'])).toEqual([]);
  });

  it('honours the limit and keeps index order among equal scores', () => {
    const same = new Bm25Index([doc('a', 'alpha'), doc('b', 'alpha'), doc('c', 'alpha')]);
    expect(same.search(['alpha'], 2).map((h) => h.item)).toEqual(['a', 'b']);
  });
});
