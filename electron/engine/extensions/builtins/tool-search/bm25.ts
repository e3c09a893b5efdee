/**
 * A small BM25 ranker (Robertson/Spärck Jones, as Lucene scores it) over documents whose terms
 * carry weights: a term's frequency is the sum of the weights it appears with, so a word in a
 * tool's name can count more than the same word in its description.
 */

export interface Bm25Options {
  /** Term-frequency saturation. */
  k1?: number;
  /** Length normalisation (0: none, 1: full). */
  b?: number;
}

export interface WeightedText {
  tokens: readonly string[];
  weight: number;
}

export interface Bm25Hit<T> {
  item: T;
  score: number;
}

interface IndexedDocument<T> {
  item: T;
  frequencies: Map<string, number>;
  length: number;
}

const STOP_WORDS = new Set(
  'a an and are as at be by for from has in is it its of on or that the this to was were will with'.split(
    ' ',
  ),
);

/**
 * Lower-case word tokens: splits camelCase and on anything that is not a letter or digit
 * (so `__`, `_` and `-` separate words), drops common English words and a plural `s`.
 */
export function tokenize(text: string): string[] {
  const spaced = text
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2');
  const tokens: string[] = [];
  for (const word of spaced.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!word || STOP_WORDS.has(word)) continue;
    tokens.push(stem(word));
  }
  return tokens;
}

/** Just enough stemming that "issues" finds "issue"; "address" and "status" keep their s. */
function stem(word: string): string {
  return word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word) ? word.slice(0, -1) : word;
}

/** Term → weighted frequency for one document. */
export function weightedFrequencies(parts: readonly WeightedText[]): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const part of parts) {
    for (const token of part.tokens) frequencies.set(token, (frequencies.get(token) ?? 0) + part.weight);
  }
  return frequencies;
}

export class Bm25Index<T> {
  private readonly documents: IndexedDocument<T>[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;
  private readonly k1: number;
  private readonly b: number;

  constructor(documents: readonly { item: T; parts: readonly WeightedText[] }[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.documents = documents.map(({ item, parts }) => {
      const frequencies = weightedFrequencies(parts);
      let length = 0;
      for (const [term, frequency] of frequencies) {
        length += frequency;
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
      return { item, frequencies, length };
    });
    const total = this.documents.reduce((sum, d) => sum + d.length, 0);
    this.averageLength = this.documents.length ? total / this.documents.length : 0;
  }

  get size(): number {
    return this.documents.length;
  }

  /** Inverse document frequency; the "+1" form never goes negative, even for a term in every document. */
  idf(term: string): number {
    const n = this.documentFrequency.get(term) ?? 0;
    const count = this.documents.length;
    return Math.log(1 + (count - n + 0.5) / (n + 0.5));
  }

  /** Documents that share at least one term with the query, best first (ties keep index order). */
  search(queryTerms: readonly string[], limit = Infinity): Bm25Hit<T>[] {
    const terms = [...new Set(queryTerms)].filter((t) => this.documentFrequency.has(t));
    if (!terms.length || limit <= 0) return [];
    const idf = new Map(terms.map((t) => [t, this.idf(t)]));
    const hits: (Bm25Hit<T> & { order: number })[] = [];
    this.documents.forEach((doc, order) => {
      let score = 0;
      const norm = this.k1 * (1 - this.b + (this.b * doc.length) / (this.averageLength || 1));
      for (const term of terms) {
        const tf = doc.frequencies.get(term);
        if (tf) score += (idf.get(term) ?? 0) * ((tf * (this.k1 + 1)) / (tf + norm));
      }
      if (score > 0) hits.push({ item: doc.item, score, order });
    });
    hits.sort((x, y) => y.score - x.score || x.order - y.order);
    return hits.slice(0, limit).map(({ item, score }) => ({ item, score }));
  }
}
