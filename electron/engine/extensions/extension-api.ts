import type {
  ApiOutput,
  ApiParsedInput,
  ActivityEntryDto,
  ExtensionDto,
  QuarantinedToolDto,
} from '../../shared/api.js';
import type { EngineEvent } from '../../shared/events.js';
import { ApiError } from '../errors/api-error.js';
import type { ExtensionCatalog } from '../api/extension-catalog.js';
import type { Clock } from '../flow/clock.js';
import type { Extension, JsonObject } from './extension.js';
import type { ExtensionHost } from './extension-host.js';

/** What the API reads of the request logger. */
interface ActivitySource extends Extension {
  search(filter: {
    query?: string;
    server?: string;
    status?: ActivityEntryDto['status'];
    limit: number;
  }): Promise<ActivityEntryDto[]>;
}

/** What the API reads and changes of the quarantine. */
interface QuarantineSource extends Extension {
  pending(): QuarantinedToolDto[];
  pendingCount(): number;
  approve(server: string, tools?: string[]): Promise<string[]>;
}

/**
 * The control API's view of the extension system: the host's catalog, plus the two built-ins
 * whose data the window shows (the activity log, the tools held for approval).
 */
export class ExtensionApi implements ExtensionCatalog {
  private lastPending = 0;

  constructor(
    private readonly host: ExtensionHost,
    private readonly emit: (event: EngineEvent) => void,
    private readonly clock: Clock,
  ) {}

  list(): Promise<ExtensionDto[]> {
    return this.host.list();
  }

  setEnabled(id: string, enabled: boolean): Promise<ExtensionDto> {
    return this.host.setEnabled(id, enabled);
  }

  setConfig(id: string, config: JsonObject): Promise<ExtensionDto> {
    return this.host.setConfig(id, config);
  }

  setServers(id: string, servers: string[] | null): Promise<ExtensionDto> {
    return this.host.setServers(id, servers);
  }

  async searchActivity(filter: ApiParsedInput<'searchActivity'>): Promise<ApiOutput<'searchActivity'>> {
    const logger = this.host.running<ActivitySource>('request-logger');
    if (!logger) return { enabled: false, entries: [] };
    return { enabled: true, entries: await logger.search(filter) };
  }

  async listQuarantine(): Promise<ApiOutput<'listQuarantine'>> {
    const quarantine = this.host.running<QuarantineSource>('quarantine');
    return quarantine ? { enabled: true, tools: quarantine.pending() } : { enabled: false, tools: [] };
  }

  async approveTools(server: string, tools: string[] | undefined): Promise<ApiOutput<'approveTools'>> {
    const quarantine = this.host.running<QuarantineSource>('quarantine');
    if (!quarantine)
      throw new ApiError(
        409,
        'the quarantine extension is off, so no tool is held; enable it in Extensions first',
      );
    const approved = await quarantine.approve(server, tools);
    return { approved, tools: quarantine.pending() };
  }

  /** Keeps the tray's count of tools waiting for approval current. */
  follow(event: EngineEvent): void {
    if (event.type !== 'extension.changed' || event.extension !== 'quarantine') return;
    const count = this.host.running<QuarantineSource>('quarantine')?.pendingCount() ?? 0;
    if (count === this.lastPending) return;
    this.lastPending = count;
    this.emit({ type: 'quarantine.pending', count, at: this.clock.now() });
  }
}
