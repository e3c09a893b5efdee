import path from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import type { EngineSnapshot } from '../shared/state-view.js';
import { toElectronTemplate, trayMenuTemplate, type TrayCommand } from './tray/tray-menu.js';
import { aggregateTrayState, trayIconFile, trayTooltip } from './tray/tray-state.js';

/**
 * The tray icon and its menu, rebuilt from the snapshot on every change. A context menu is always
 * set: on Linux a click on the icon is not reliably reported, the menu is.
 */
export class AppTray {
  private readonly tray: Tray;
  private iconFile = '';
  /** The last menu built, for automation (the Electron e2e clicks its items). */
  menu: Menu | undefined;

  constructor(
    private readonly options: {
      iconsDir: string;
      run: (command: TrayCommand) => void;
      onClick: () => void;
    },
  ) {
    this.tray = new Tray(nativeImage.createEmpty());
    this.tray.on('click', options.onClick);
  }

  update(snapshot: EngineSnapshot, settings: { launchAtLogin: boolean }): void {
    const file = path.join(
      this.options.iconsDir,
      trayIconFile(aggregateTrayState(snapshot), process.platform),
    );
    if (file !== this.iconFile) {
      this.iconFile = file;
      this.tray.setImage(nativeImage.createFromPath(file));
    }
    this.tray.setToolTip(trayTooltip(snapshot));
    this.menu = Menu.buildFromTemplate(
      toElectronTemplate(trayMenuTemplate(snapshot, settings), this.options.run),
    );
    this.tray.setContextMenu(this.menu);
  }

  destroy(): void {
    this.tray.destroy();
  }
}
