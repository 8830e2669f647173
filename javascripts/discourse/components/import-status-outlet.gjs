import Component from "@glimmer/component";
import { tracked } from "@glimmer/tracking";
import { service } from "@ember/service";

/**
 * What every page loads for the status panel: nothing but a staff check. The panel itself, with
 * its view model, loads only for staff.
 */
export default class ImportStatusOutlet extends Component {
  @service currentUser;

  @tracked Panel = null;

  constructor() {
    super(...arguments);
    if (this.currentUser?.staff) {
      import("./ics-import-status").then((module) => {
        if (!this.isDestroying) {
          this.Panel = module.default;
        }
      });
    }
  }

  <template>
    {{#if this.Panel}}
      <this.Panel />
    {{/if}}
  </template>
}
