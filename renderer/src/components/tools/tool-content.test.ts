import { describe, expect, it } from 'vitest';
import { parseArguments, viewOf } from './tool-content.js';

describe('viewOf', () => {
  it('shows text, images and resources as themselves', () => {
    expect(viewOf({ type: 'text', text: 'hi' }, 't')).toEqual({ kind: 'text', text: 'hi' });
    expect(viewOf({ type: 'image', mimeType: 'image/gif', data: 'R0lG' }, 't')).toEqual({
      kind: 'image',
      src: 'data:image/gif;base64,R0lG',
      alt: 'Image returned by t (image/gif)',
    });
    expect(viewOf({ type: 'resource', resource: { uri: 'mem://a', text: 'body' } }, 't')).toEqual({
      kind: 'resource',
      uri: 'mem://a',
      text: 'body',
    });
    expect(
      viewOf(
        { type: 'resource', resource: { uri: 'mem://b', blob: 'AA', mimeType: 'application/pdf' } },
        't',
      ),
    ).toEqual({ kind: 'resource', uri: 'mem://b', text: '(binary, application/pdf)' });
  });

  it('shows as JSON what it cannot show safely or does not know', () => {
    const svgAsHtml = { type: 'image', mimeType: 'text/html', data: 'PGI+' };
    expect(viewOf(svgAsHtml, 't')).toEqual({ kind: 'json', json: JSON.stringify(svgAsHtml, null, 2) });
    expect(viewOf({ type: 'text' }, 't').kind).toBe('json');
    expect(viewOf({ type: 'resource_link', uri: 'x', name: 'x' }, 't').kind).toBe('json');
  });
});

describe('parseArguments', () => {
  it('accepts an object, and empty text as no arguments', () => {
    expect(parseArguments('{"a": 1}')).toEqual({ ok: true, args: { a: 1 } });
    expect(parseArguments('  ')).toEqual({ ok: true, args: {} });
    expect(parseArguments('{"problem": "x"}')).toEqual({ ok: true, args: { problem: 'x' } });
  });

  it('says what is wrong with anything else', () => {
    expect(parseArguments('{a')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('Not valid JSON'),
    });
    for (const text of ['[1]', '3', 'null', '"s"']) {
      expect(parseArguments(text)).toMatchObject({
        ok: false,
        problem: expect.stringContaining('JSON object'),
      });
    }
  });
});
