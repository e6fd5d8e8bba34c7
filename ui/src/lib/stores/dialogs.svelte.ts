// Which overlay is open: the call-note dialog (Ctrl/Cmd+N) or the command palette (Ctrl/Cmd+K).

export type NotePreset = { partner?: string; account?: string; opportunity?: string };

class Dialogs {
  note = $state<NotePreset | null>(null);
  palette = $state(false);

  openNote(preset: NotePreset = {}) {
    this.palette = false;
    this.note = preset;
  }

  closeNote() {
    this.note = null;
  }

  openPalette() {
    this.note = null;
    this.palette = true;
  }

  closePalette() {
    this.palette = false;
  }
}

export const dialogs = new Dialogs();
