// The call-note form as typed; saved as a draft while typed, sent as the core's NewNote.
import type { NewNote } from "../../lib/bindings";

export type StepRow = { description: string; owner: string; due_on: string; agreed_with_partner: boolean };

export type NoteForm = {
  title: string;
  body: string;
  via_partner: boolean;
  partner: string;
  account: string;
  opportunity: string;
  occurred_on: string;
  next_steps: StepRow[];
};

export const NOTE_DRAFT_KEY = "note:new";

export function emptyNote(today: string, preset: { partner?: string; account?: string; opportunity?: string } = {}): NoteForm {
  return {
    title: "",
    body: "",
    via_partner: false,
    partner: preset.partner ?? "",
    account: preset.account ?? "",
    opportunity: preset.opportunity ?? "",
    occurred_on: today,
    next_steps: [],
  };
}

export function emptyStep(owner: string, due: string): StepRow {
  return { description: "", owner, due_on: due, agreed_with_partner: true };
}

const blank = (s: string) => (s.trim() === "" ? null : s.trim());

export function toNewNote(form: NoteForm, author: string): NewNote {
  return {
    title: form.title,
    body: form.body,
    via_partner: form.via_partner,
    partner: blank(form.partner),
    account: blank(form.account),
    opportunity: blank(form.opportunity),
    author,
    occurred_at: blank(form.occurred_on),
    next_steps: form.next_steps.filter((s) => s.description.trim() !== "" || s.due_on.trim() !== ""),
  };
}

/** True when nothing was typed: such a form needs no draft. */
export function isBlank(form: NoteForm): boolean {
  return (
    form.title.trim() === "" &&
    form.body.trim() === "" &&
    form.next_steps.every((s) => s.description.trim() === "")
  );
}
