import type { ExtensionDto } from '../../shared/api.js';
import { ApiError } from './api-error.js';

/** What the control API needs of the extension system (DESIGN §8). */
export interface ExtensionCatalog {
  list(): ExtensionDto[];
  setEnabled(id: string, enabled: boolean): Promise<ExtensionDto>;
  setConfig(id: string, config: Record<string, unknown>): Promise<ExtensionDto>;
}

/**
 * The catalog while no extension is registered: an empty list, and a 404 that says so for any id.
 * The extension system replaces it; the API and the window's Extensions page already use it.
 */
export class EmptyExtensionCatalog implements ExtensionCatalog {
  list(): ExtensionDto[] {
    return [];
  }

  setEnabled(id: string): Promise<ExtensionDto> {
    return Promise.reject(unknownExtension(id));
  }

  setConfig(id: string): Promise<ExtensionDto> {
    return Promise.reject(unknownExtension(id));
  }
}

export function unknownExtension(id: string): ApiError {
  return new ApiError(404, `no extension "${id}"; GET /api/v1/extensions lists the installed ones`);
}
