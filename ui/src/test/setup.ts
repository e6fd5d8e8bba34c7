// jsdom lacks a few browser APIs the UI uses.
import { afterEach } from "vitest";
import { cleanup } from "@testing-library/svelte";
import { fixLocale } from "../lib/format";

// Amounts are written in the person's locale; tests read them as in the United States.
fixLocale("en-US");

if (typeof HTMLDialogElement !== "undefined" && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute("open");
  };
}

if (typeof window !== "undefined" && !window.requestAnimationFrame) {
  window.requestAnimationFrame = (cb: FrameRequestCallback) => window.setTimeout(() => cb(0), 0);
}

afterEach(() => cleanup());

// bind:clientHeight uses a ResizeObserver; jsdom has none (and no layout to observe).
if (typeof window !== "undefined" && !("ResizeObserver" in window)) {
  class NoResize {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, "ResizeObserver", { value: NoResize });
  Object.defineProperty(globalThis, "ResizeObserver", { value: NoResize });
}

if (typeof Element !== "undefined" && !Element.prototype.scrollIntoView) {
  Element.prototype.scrollIntoView = () => undefined;
}
