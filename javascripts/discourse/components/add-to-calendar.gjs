import Component from "@glimmer/component";
import { tracked } from "@glimmer/tracking";
import { on } from "@ember/modifier";
import { action } from "@ember/object";
import { guidFor } from "@ember/object/internals";
import { schedule } from "@ember/runloop";
import dIcon from "discourse/ui-kit/helpers/d-icon";
import { i18n } from "discourse-i18n";
import { calendarLinks } from "../lib/calendar-links";
import { downloadTextFile } from "../lib/download-file";
import { loadIcsFileBuilder } from "../lib/ics-file-loader";

const ICS_MIME_TYPE = "text/calendar;charset=utf-8";

function linkLine(url) {
  return i18n(themePrefix("add_to_calendar.description_link"), { url });
}

export default class AddToCalendar extends Component {
  @tracked isOpen = false;
  @tracked isPreparing = false;
  @tracked failed = false;

  menuId = `ics-add-to-calendar-menu-${guidFor(this)}`;
  triggerId = `ics-add-to-calendar-trigger-${guidFor(this)}`;

  // Safari does not focus a button on click, so pressing the trigger blurs the open menu
  // with no new focus target; without this note that blur would close the menu and the
  // click that follows would open it again.
  triggerPressed = false;

  get enabledKinds() {
    return String(settings.calendar_links ?? "")
      .split("|")
      .filter(Boolean);
  }

  get offersIcs() {
    return this.enabledKinds.includes("ics");
  }

  get links() {
    return calendarLinks(this.args.event, {
      kinds: this.enabledKinds,
      topicUrl: this.args.topicUrl,
      linkLine,
    }).map((link) => ({
      ...link,
      label: i18n(themePrefix(`add_to_calendar.${link.kind}`)),
    }));
  }

  get hasEntries() {
    return this.offersIcs || this.links.length > 0;
  }

  get buttonTitle() {
    return i18n(themePrefix("add_to_calendar.button_title"), {
      title: this.args.event.title,
    });
  }

  get menuItems() {
    return [
      ...(document
        .getElementById(this.menuId)
        ?.querySelectorAll("[role='menuitem']") ?? []),
    ];
  }

  #focusItem(index) {
    const items = this.menuItems;
    if (items.length) {
      items[(index + items.length) % items.length].focus();
    }
  }

  #open(focusIndex = 0) {
    this.isOpen = true;
    this.failed = false;
    schedule("afterRender", () => this.#focusItem(focusIndex));
  }

  @action
  close({ restoreFocus = false } = {}) {
    this.isOpen = false;
    if (restoreFocus) {
      document.getElementById(this.triggerId)?.focus();
    }
  }

  @action
  noteTriggerPress() {
    this.triggerPressed = this.isOpen;
  }

  @action
  toggle() {
    this.triggerPressed = false;
    if (this.isOpen) {
      this.close();
    } else {
      this.#open();
    }
  }

  @action
  onTriggerKeydown(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      this.#open(event.key === "ArrowDown" ? 0 : -1);
    } else if (event.key === "Escape" && this.isOpen) {
      event.preventDefault();
      this.close({ restoreFocus: true });
    }
  }

  @action
  onMenuKeydown(event) {
    const items = this.menuItems;
    const current = items.indexOf(document.activeElement);
    const moves = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      Home: 0,
      End: -1,
    };
    if (event.key in moves) {
      event.preventDefault();
      this.#focusItem(moves[event.key]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close({ restoreFocus: true });
    } else if (event.key === "Tab") {
      this.close();
    }
  }

  @action
  onFocusOut(event) {
    if (this.triggerPressed) {
      this.triggerPressed = false;
      return;
    }
    if (this.isOpen && !event.currentTarget.contains(event.relatedTarget)) {
      this.close();
    }
  }

  @action
  closeAfterLink() {
    this.close({ restoreFocus: true });
  }

  @action
  async downloadIcs() {
    if (this.isPreparing) {
      return;
    }
    this.isPreparing = true;
    this.failed = false;
    try {
      const buildIcsFile = await (
        this.args.loadIcsFileBuilder ?? loadIcsFileBuilder
      )();
      const event = this.args.event;
      const { text, fileName } = buildIcsFile(event, {
        topicUrl: this.args.topicUrl,
        reminderMinutes: settings.reminder_minutes,
        reminderText: i18n(themePrefix("add_to_calendar.reminder"), {
          title: event.title,
        }),
        linkLine,
      });
      downloadTextFile(text, fileName, ICS_MIME_TYPE);
      this.close({ restoreFocus: true });
    } catch (error) {
      this.failed = true;
      // Closed, so the message below the button is not hidden under the menu.
      this.close({ restoreFocus: true });
      // eslint-disable-next-line no-console
      console.error("discourse-ics: could not build the .ics file", error);
    } finally {
      this.isPreparing = false;
    }
  }

  <template>
    {{#if this.hasEntries}}
      <div class="ics-add-to-calendar" {{on "focusout" this.onFocusOut}}>
        {{! The menu hangs from the button, whatever the status line below says. }}
        <div class="ics-add-to-calendar__anchor">
          {{! pointerdown only notes the press (see triggerPressed); the click still acts. }}
          {{! template-lint-disable no-pointer-down-event-binding }}
          <button
            id={{this.triggerId}}
            type="button"
            class="btn btn-default btn-icon-text ics-add-to-calendar__trigger"
            title={{this.buttonTitle}}
            aria-haspopup="menu"
            aria-expanded={{if this.isOpen "true" "false"}}
            aria-controls={{if this.isOpen this.menuId}}
            {{on "pointerdown" this.noteTriggerPress}}
            {{on "click" this.toggle}}
            {{on "keydown" this.onTriggerKeydown}}
          >
            {{dIcon "calendar-plus"}}
            <span class="d-button-label">
              {{i18n (themePrefix "add_to_calendar.button")}}
            </span>
          </button>

          {{#if this.isOpen}}
            {{! The WAI-ARIA menu pattern handles arrow keys on the menu itself. }}
            {{! template-lint-disable no-invalid-interactive }}
            <ul
              id={{this.menuId}}
              class="ics-add-to-calendar__menu"
              role="menu"
              aria-labelledby={{this.triggerId}}
              {{on "keydown" this.onMenuKeydown}}
            >
              {{#if this.offersIcs}}
                <li role="none">
                  <button
                    type="button"
                    role="menuitem"
                    class="ics-add-to-calendar__item"
                    data-kind="ics"
                    aria-disabled={{if this.isPreparing "true"}}
                    {{on "click" this.downloadIcs}}
                  >
                    {{dIcon "download"}}
                    <span>{{i18n (themePrefix "add_to_calendar.ics")}}</span>
                  </button>
                </li>
              {{/if}}
              {{#each this.links as |link|}}
                <li role="none">
                  <a
                    role="menuitem"
                    class="ics-add-to-calendar__item"
                    data-kind={{link.kind}}
                    href={{link.url}}
                    target="_blank"
                    rel="noopener noreferrer"
                    {{on "click" this.closeAfterLink}}
                  >
                    {{dIcon "up-right-from-square"}}
                    <span>{{link.label}}</span>
                    <span class="sr-only">
                      {{i18n (themePrefix "add_to_calendar.opens_in_new_tab")}}
                    </span>
                  </a>
                </li>
              {{/each}}
            </ul>
          {{/if}}
        </div>

        <div class="ics-add-to-calendar__status" role="status">
          {{#if this.isPreparing}}
            {{i18n (themePrefix "add_to_calendar.preparing")}}
          {{else if this.failed}}
            <span class="ics-add-to-calendar__error">
              {{i18n (themePrefix "add_to_calendar.download_failed")}}
            </span>
          {{/if}}
        </div>
      </div>
    {{/if}}
  </template>
}
