// Draws rough outlines in place of Discourse's icon sprites, sized like them, so screenshots
// show where icons sit and what colour they take.
import { trustHTML } from "@ember/template";

const shapes = {
  "calendar-plus":
    '<rect x="2" y="3" width="12" height="11" rx="1"/><path d="M2 6h12M5 1.5v3M11 1.5v3M8 8v4M6 10h4"/>',
  download: '<path d="M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 13.5h11"/>',
  "up-right-from-square":
    '<path d="M9.5 2.5h4v4M13.5 2.5 7 9M11 9.5v4H2.5V5h4"/>',
};

export default function icon(name) {
  const shape = shapes[name] ?? '<circle cx="8" cy="8" r="5"/>';
  return trustHTML(
    `<svg class="fa d-icon d-icon-${name} svg-icon" aria-hidden="true" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${shape}</svg>`
  );
}
