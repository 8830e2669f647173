import {
  eventFromPluginDataset,
  eventFromPostEvent,
  eventFromWorkerDataset,
} from "./event-info";

// Parsed inside a <template>, whose content is inert: nothing in it loads or runs.
function parseCooked(cooked) {
  const template = document.createElement("template");
  template.innerHTML = cooked ?? "";
  return template.content;
}

async function firstPostOf(topic, ajax) {
  const loaded = topic.postStream?.posts?.find(
    (post) => post.post_number === 1
  );
  if (loaded) {
    return loaded;
  }
  const firstPostId = topic.postStream?.stream?.[0];
  return firstPostId ? ajax(`/posts/${firstPostId}.json`) : null;
}

async function pluginEndpointEvent(postId, ajax, options) {
  try {
    const response = await ajax(`/discourse-post-event/events/${postId}.json`);
    return eventFromPostEvent(response?.event, options);
  } catch {
    return null;
  }
}

/**
 * The event of a topic's first post, whichever wrote it: the worker's data div first (it carries
 * the feed's own UID), then the calendar plugin's post.event, its endpoint, and its element.
 */
export async function loadTopicEvent(topic, { ajax, host }) {
  const post = await firstPostOf(topic, ajax);
  if (!post) {
    return null;
  }
  const options = { fallbackTitle: topic.title, host, postId: post.id };
  const content = parseCooked(post.cooked);

  const workerElement = content.querySelector("div[data-ics-event]");
  const fromWorker =
    workerElement &&
    eventFromWorkerDataset({ ...workerElement.dataset }, options);
  if (fromWorker) {
    return fromWorker;
  }

  const fromPostEvent = eventFromPostEvent(post.event, options);
  if (fromPostEvent) {
    return fromPostEvent;
  }

  const pluginElement = content.querySelector(".discourse-post-event");
  if (!pluginElement) {
    return null;
  }
  return (
    (await pluginEndpointEvent(post.id, ajax, options)) ??
    eventFromPluginDataset({ ...pluginElement.dataset }, options)
  );
}
