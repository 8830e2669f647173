import { trustHTML } from "@ember/template";

export default function icon(name) {
  return trustHTML(
    `<svg class="d-icon d-icon-${name}" aria-hidden="true"></svg>`
  );
}
