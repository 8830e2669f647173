import Component from "@glimmer/component";
import { tracked } from "@glimmer/tracking";
import PluginOutlet from "discourse/components/plugin-outlet";
import lazyHash from "discourse/helpers/lazy-hash";
import { ajax } from "discourse/lib/ajax";
import { loadTopicEvent } from "../lib/topic-event";
import AddToCalendar from "./add-to-calendar";

class TopicEventRequest {
  @tracked event = null;

  constructor(topic, load) {
    load(topic)
      .then((event) => (this.event = event))
      .catch(() => (this.event = null));
  }
}

export default class TopicAddToCalendar extends Component {
  // One request per topic model: re-renders never fetch again, a new topic loads afresh.
  requestFor = (topic) => {
    if (!topic?.id) {
      return null;
    }
    let request = this.#requests.get(topic);
    if (!request) {
      request = new TopicEventRequest(topic, this.#load);
      this.#requests.set(topic, request);
    }
    return request;
  };
  #requests = new WeakMap();

  #load = (topic) =>
    loadTopicEvent(topic, { ajax, host: window.location.hostname });

  get topic() {
    return this.args.outletArgs?.model ?? this.args.outletArgs?.topic;
  }

  get topicUrl() {
    return this.topic?.url
      ? new URL(this.topic.url, window.location.origin).href
      : null;
  }

  <template>
    {{#let (this.requestFor this.topic) as |request|}}
      {{#if request.event}}
        <div class="ics-topic-add-to-calendar">
          <PluginOutlet
            @name="ics-add-to-calendar"
            @outletArgs={{lazyHash
              event=request.event
              topic=this.topic
              topicUrl=this.topicUrl
            }}
          >
            <AddToCalendar
              @event={{request.event}}
              @topicUrl={{this.topicUrl}}
            />
          </PluginOutlet>
        </div>
      {{/if}}
    {{/let}}
  </template>
}
