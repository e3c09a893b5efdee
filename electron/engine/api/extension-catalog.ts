import type { ApiOutput, ApiParsedInput, ExtensionDto } from '../../shared/api.js';
import { ApiError } from '../errors/api-error.js';

/** What the control API needs of the extension system (DESIGN §8). */
export interface ExtensionCatalog {
  list(): Promise<ExtensionDto[]>;
  setEnabled(id: string, enabled: boolean): Promise<ExtensionDto>;
  setConfig(id: string, config: Record<string, unknown>): Promise<ExtensionDto>;
  /** Limits the extension to these servers; null: every server. */
  setServers(id: string, servers: string[] | null): Promise<ExtensionDto>;
  /** The request logger's activity log (enabled false, and nothing, while it is off). */
  searchActivity(filter: ApiParsedInput<'searchActivity'>): Promise<ApiOutput<'searchActivity'>>;
  /** Tools the quarantine holds (enabled false while it is off). */
  listQuarantine(): Promise<ApiOutput<'listQuarantine'>>;
  approveTools(server: string, tools: string[] | undefined): Promise<ApiOutput<'approveTools'>>;
}

/**
 * The catalog while no extension is registered: an empty list, and a 404 that says so for any id.
 * The extension system replaces it; the API and the window's Extensions page already use it.
 */
export class EmptyExtensionCatalog implements ExtensionCatalog {
  async list(): Promise<ExtensionDto[]> {
    return [];
  }

  setEnabled(id: string): Promise<ExtensionDto> {
    return Promise.reject(unknownExtension(id));
  }

  setConfig(id: string): Promise<ExtensionDto> {
    return Promise.reject(unknownExtension(id));
  }

  setServers(id: string): Promise<ExtensionDto> {
    return Promise.reject(unknownExtension(id));
  }

  async searchActivity(): Promise<ApiOutput<'searchActivity'>> {
    return { enabled: false, entries: [] };
  }

  async listQuarantine(): Promise<ApiOutput<'listQuarantine'>> {
    return { enabled: false, tools: [] };
  }

  approveTools(): Promise<ApiOutput<'approveTools'>> {
    return Promise.reject(unknownExtension('quarantine'));
  }
}

export function unknownExtension(id: string): ApiError {
  return new ApiError(404, `no extension "${id}"; GET /api/v1/extensions lists the installed ones`);
}
