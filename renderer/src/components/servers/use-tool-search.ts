import { computed, onUnmounted, reactive, ref, watch, type ComputedRef, type Ref } from 'vue';
import type { ApiOutput } from '../../../../electron/shared/api.js';
import { useEngine } from '../../context.js';

type Tool = ApiOutput<'listTools'>['tools'][number];

export interface ToolMatch {
  server: string;
  name: string;
  /** The tool's title, if it has one besides its name. */
  title: string | undefined;
  /** The first line of its description. */
  summary: string;
}

export interface ToolSearch {
  query: Ref<string>;
  /** The matches, by server then tool name (all of them: the view shows the first few). */
  matches: ComputedRef<ToolMatch[]>;
  /** Servers whose tools are being read. */
  loading: ComputedRef<number>;
  /** Servers whose tools could not be read, with why. */
  failures: ComputedRef<{ server: string; error: string }[]>;
}

const firstLine = (text: string | undefined) => (text ?? '').trim().split('\n', 1)[0]?.trim() ?? '';

/**
 * Finds a tool among every server's tools. Nothing is read until the person first types: then each
 * ready server's tools are read once, a server that becomes ready later when it does, and a server's
 * again when the engine says its lists changed (`server.lists`). No polling.
 */
export function useToolSearch(): ToolSearch {
  const engine = useEngine();
  const query = ref('');
  const tools = reactive(new Map<string, readonly Tool[]>());
  const errors = reactive(new Map<string, string>());
  const pending = reactive(new Set<string>());
  /** Each server's latest read, so an older answer never overwrites a newer one. */
  const reads = new Map<string, number>();
  let generation = 0;
  let started = false;

  async function load(server: string): Promise<void> {
    const mine = ++generation;
    reads.set(server, mine);
    pending.add(server);
    try {
      const answer = await engine.bridge.call('listTools', { server });
      if (reads.get(server) !== mine) return;
      tools.set(server, answer.tools);
      errors.delete(server);
    } catch (err) {
      if (reads.get(server) === mine) errors.set(server, (err as Error).message);
    } finally {
      if (reads.get(server) === mine) pending.delete(server);
    }
  }

  const ready = computed(() =>
    engine.snapshot.value.servers.filter((s) => s.state === 'ready').map((s) => s.name),
  );
  const known = computed(() => new Set(engine.snapshot.value.servers.map((s) => s.name)));

  function sync(): void {
    if (!started) return;
    for (const name of ready.value) if (!reads.has(name)) void load(name);
    for (const name of [...reads.keys()]) {
      if (known.value.has(name)) continue;
      reads.delete(name);
      tools.delete(name);
      errors.delete(name);
      pending.delete(name);
    }
  }

  watch(query, (text) => {
    if (started || text.trim() === '') return;
    started = true;
    sync();
  });
  watch([ready, known], sync);

  const stop = engine.onEvent((event) => {
    if (started && event.type === 'server.lists' && known.value.has(event.server)) void load(event.server);
  });
  onUnmounted(stop);

  const matches = computed<ToolMatch[]>(() => {
    const needle = query.value.trim().toLowerCase();
    if (needle === '') return [];
    const found: ToolMatch[] = [];
    const servers = [...tools.keys()].sort((a, b) => a.localeCompare(b));
    for (const server of servers) {
      const list = [...(tools.get(server) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
      for (const tool of list) {
        const hit = [tool.name, tool.title, tool.description].some((t) => t?.toLowerCase().includes(needle));
        if (hit)
          found.push({ server, name: tool.name, title: tool.title, summary: firstLine(tool.description) });
      }
    }
    return found;
  });

  return {
    query,
    matches,
    loading: computed(() => pending.size),
    failures: computed(() => [...errors].map(([server, error]) => ({ server, error }))),
  };
}
