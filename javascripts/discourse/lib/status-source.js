import {
  readStatusDocument,
  StatusDocumentError,
  statusDocumentFromCooked,
} from "./import-status";

/** Why the status could not be fetched: a `code` with the `params` its translation needs. */
export class StatusFetchError extends Error {
  constructor(code, params) {
    super(`${code} ${JSON.stringify(params)}`);
    this.code = code;
    this.params = params;
  }
}

async function fromTopic(topicId, ajax) {
  let topic;
  try {
    topic = await ajax(`/t/${topicId}.json`);
  } catch (error) {
    const status = error?.jqXHR?.status ?? error?.status;
    throw status
      ? new StatusFetchError("topic_http", { topic: topicId, status })
      : new StatusFetchError("topic_unreachable", { topic: topicId });
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
    throw new StatusFetchError("worker_bad_url", { url });
  }
  let response;
  try {
    response = await fetchImpl(url, {
      credentials: "omit",
      headers: { Accept: "application/json" },
    });
  } catch {
    throw new StatusFetchError("worker_unreachable", { url });
  }
  if (!response.ok) {
    throw new StatusFetchError("worker_http", { url, status: response.status });
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
