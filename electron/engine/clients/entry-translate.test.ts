import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientSpec } from './client-catalog.js';
import {
  editorVariables,
  secretNameOf,
  shellBraces,
  shellVariables,
  translateEntry,
  type ReferenceRewriter,
  type TranslateContext,
} from './entry-translate.js';

const HOME = path.resolve('/home/me');
const PROJECT = path.resolve('/work/proj');

function context(overrides: Partial<TranslateContext> = {}): TranslateContext {
  return {
    home: HOME,
    readEnvFile: (file) => {
      throw new Error(`ENOENT: no such file ${file}`);
    },
    ...overrides,
  };
}

function rewrite(rewriter: ReferenceRewriter, text: string, ctx = context()) {
  const notes = new Set<string>();
  return { text: rewriter(text, ctx, notes), notes: [...notes] };
}

describe('editorVariables', () => {
  it('fills in ${userHome} and ${workspaceFolder}, keeps ${env:X}', () => {
    const out = rewrite(
      editorVariables(),
      '${userHome}/bin:${workspaceFolder}/src:${env:PATH}',
      context({ project: PROJECT }),
    );
    expect(out).toEqual({ text: `${HOME}/bin:${PROJECT}/src:\${env:PATH}`, notes: [] });
  });

  it('keeps ${workspaceFolder} with a note when there is no project', () => {
    const out = rewrite(editorVariables(), '${workspaceFolder}/src');
    expect(out.text).toBe('${workspaceFolder}/src');
    expect(out.notes).toEqual([expect.stringMatching(/\$\{workspaceFolder\} was kept as written/)]);
  });

  it('turns ${input:X} into a secret reference only where the editor has inputs', () => {
    expect(rewrite(editorVariables(), 'Bearer ${input:api-key}')).toEqual({
      text: 'Bearer ${input:api-key}',
      notes: [],
    });
    const out = rewrite(editorVariables({ inputs: true }), 'Bearer ${input:api-key}');
    expect(out.text).toBe('Bearer ${secret:api-key}');
    expect(out.notes).toEqual([expect.stringContaining('switchboard secret set api-key')]);
  });

  it('makes a valid secret name out of an odd input id', () => {
    expect(rewrite(editorVariables({ inputs: true }), '${input:my key!}').text).toBe('${secret:my-key-}');
    expect(secretNameOf('__')).toBe('input-');
  });

  it('leaves other ${...} alone', () => {
    expect(rewrite(editorVariables(), '${pathSeparator}${command:x}$HOME').text).toBe(
      '${pathSeparator}${command:x}$HOME',
    );
  });
});

describe('shellBraces', () => {
  it('turns ${X} into ${env:X}', () => {
    expect(rewrite(shellBraces, '--token=${GH_TOKEN} ${_x1}')).toEqual({
      text: '--token=${env:GH_TOKEN} ${env:_x1}',
      notes: [],
    });
  });

  it('drops a ${X:-default} default with a note', () => {
    const out = rewrite(shellBraces, '${PORT:-8080}');
    expect(out.text).toBe('${env:PORT}');
    expect(out.notes).toEqual([expect.stringContaining('the default in ${PORT:-8080} does not carry over')]);
  });

  it('leaves $X and ${env:X} as they are', () => {
    expect(rewrite(shellBraces, '$HOME ${env:X}').text).toBe('$HOME ${env:X}');
  });
});

describe('shellVariables', () => {
  it('turns $X and ${X} into ${env:X}', () => {
    expect(rewrite(shellVariables, '$HOME/bin:${PATH}:$1:$').text).toBe('${env:HOME}/bin:${env:PATH}:$1:$');
  });
});

describe('translateEntry', () => {
  const cursor = clientSpec('cursor').dialect;
  const desktop = clientSpec('claude-desktop').dialect;

  it('reads a local entry; numbers and booleans in env become strings', () => {
    const out = translateEntry(
      { command: 'npx', args: ['-y', 3], env: { PORT: 8080, DEBUG: true, NESTED: { x: 1 } }, cwd: '/srv' },
      desktop,
      context(),
    );
    expect(out).toEqual({
      config: {
        type: 'stdio',
        command: 'npx',
        args: ['-y', '3'],
        env: { PORT: '8080', DEBUG: 'true' },
        cwd: '/srv',
      },
      notes: [],
    });
  });

  it('reads a remote entry and a disabled one', () => {
    const out = translateEntry(
      { url: 'https://x.example/mcp', type: 'sse', headers: { A: 'b' }, disabled: true },
      desktop,
      context(),
    );
    expect(out.config).toEqual({
      type: 'sse',
      url: 'https://x.example/mcp',
      headers: { A: 'b' },
      enabled: false,
    });
  });

  it('reads envFile relative to the project, entry env winning', () => {
    const read: string[] = [];
    const out = translateEntry(
      { command: 'x', envFile: '${workspaceFolder}/.env', env: { B: 'entry' } },
      cursor,
      context({
        project: PROJECT,
        readEnvFile: (file) => {
          read.push(file);
          return { A: 'file', B: 'file' };
        },
      }),
    );
    expect(read).toEqual([path.join(PROJECT, '.env')]);
    expect(out.config?.env).toEqual({ A: 'file', B: 'entry' });
  });

  it('resolves a relative envFile against home when there is no project', () => {
    const read: string[] = [];
    translateEntry(
      { command: 'x', envFile: '.env' },
      cursor,
      context({ readEnvFile: (file) => (read.push(file), {}) }),
    );
    expect(read).toEqual([path.join(HOME, '.env')]);
  });

  it('notes a missing envFile instead of failing', () => {
    const out = translateEntry({ command: 'x', envFile: '/nope/.env', env: { A: '1' } }, cursor, context());
    expect(out.config).toEqual({ type: 'stdio', command: 'x', args: [], env: { A: '1' } });
    expect(out.notes).toEqual([expect.stringMatching(/^envFile .*\.env could not be read \(ENOENT/)]);
  });

  it('ignores envFile where the client has none (no read, no note)', () => {
    const out = translateEntry(
      { command: 'x', envFile: '.env' },
      desktop,
      context({
        readEnvFile: () => {
          throw new Error('must not be read');
        },
      }),
    );
    expect(out.notes).toEqual([]);
    expect(out.config?.env).toEqual({});
  });

  it.each([['text'], [null], [[1, 2]], [42]])('leaves out an entry that is not an object (%j)', (raw) => {
    expect(translateEntry(raw, desktop, context())).toEqual({
      notes: ['the entry is not an object; it was left out'],
    });
  });

  it('leaves out an entry with neither command nor url', () => {
    const out = translateEntry({ command: '', args: ['x'] }, desktop, context());
    expect(out.config).toBeUndefined();
    expect(out.notes).toEqual([expect.stringContaining('neither "command" nor a URL')]);
  });

  it('lists the keys that do not carry over in one note', () => {
    expect(translateEntry({ command: 'x', autoApprove: [], timeout: 5 }, desktop, context()).notes).toEqual([
      `Claude Desktop's own settings "autoApprove", "timeout" do not carry over`,
    ]);
    expect(translateEntry({ command: 'x', alwaysAllow: [] }, cursor, context()).notes).toEqual([
      `Cursor's own setting "alwaysAllow" does not carry over`,
    ]);
  });

  it('rewrites references in command, args, env, cwd, url and headers', () => {
    const vscode = clientSpec('vscode').dialect;
    const ctx = context({ project: PROJECT });
    const local = translateEntry(
      {
        command: '${userHome}/bin/x',
        args: ['${workspaceFolder}'],
        env: { T: '${input:tok}' },
        cwd: '${workspaceFolder}',
      },
      vscode,
      ctx,
    );
    expect(local.config).toEqual({
      type: 'stdio',
      command: `${HOME}/bin/x`,
      args: [PROJECT],
      env: { T: '${secret:tok}' },
      cwd: PROJECT,
    });
    const remote = translateEntry(
      { type: 'http', url: 'https://h/${env:ID}', headers: { A: 'Bearer ${input:tok}' } },
      vscode,
      ctx,
    );
    expect(remote.config).toEqual({
      type: 'http',
      url: 'https://h/${env:ID}',
      headers: { A: 'Bearer ${secret:tok}' },
    });
  });
});
