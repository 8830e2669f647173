import {
  readStatusDocument,
  StatusDocumentError,
  statusDocumentFromCooked,
} from "./import-status";

export class StatusFetchError extends Error {}

async function fromTopic(topicId, ajax) {
  let topic;
  try {
    topic = await ajax(`/t/${topicId}.json`);
  } catch (error) {
    const status = error?.jqXHR?.status ?? error?.status;
    throw new StatusFetchError(
      status
        ? `topic ${topicId} answered HTTP ${status}`
        : `topic ${topicId} could not be reached`
    );
  }
  const firstPost = topic?.post_stream?.posts?.find(
    (post) => post.post_number === 1
  );
  if (!firstPost) {
    throw new StatusDocumentError(`topic ${topicId} has no first post`);
  }
  return statusDocumentFromCooked(firstPost.cooked);
}

async function fromWorker(url, fetchImpl) {
  if (!/^https?:\/\//.test(url)) {
    throw new StatusFetchError(`"${url}" is not an http(s) URL`);
  }
  let response;
  try {
    response = await fetchImpl(url, {
      credentials: "omit",
      headers: { Accept: "application/json" },
    });
  } catch {
    throw new StatusFetchError(`${url} could not be reached`);
  }
  if (!response.ok) {
    throw new StatusFetchError(`${url} answered HTTP ${response.status}`);
  }
  let json;
  try {
    json = await response.json();
  } catch {
    throw new StatusDocumentError("the worker's answer is not JSON");
  }
  return readStatusDocument(json);
}

/**
 * Reads the status document from where the settings point. Throws StatusFetchError when it cannot
 * be fetched and StatusDocumentError when it cannot be read; returns null when nothing is set up.
 */
export async function loadStatusDocument(
  { source, topicId, workerUrl },
  { ajax, fetch: fetchImpl }
) {
  if (source === "worker") {
    return workerUrl ? fromWorker(workerUrl, fetchImpl) : null;
  }
  return topicId > 0 ? fromTopic(topicId, ajax) : null;
}
