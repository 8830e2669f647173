import { describe, expect, test } from "vitest";
import { StatusDocumentError } from "../../javascripts/discourse/lib/import-status";
import {
  loadStatusDocument,
  StatusFetchError,
} from "../../javascripts/discourse/lib/status-source";
import { statusPostCooked } from "../support/status-fixtures";

const document = {
  version: 1,
  generatedAt: "2026-11-23T11:55:00Z",
  feeds: [],
};

// What readStatusDocument hands on: the validated fields.
const readBack = { generatedAt: document.generatedAt, feeds: [] };

const noAjax = () => {
  throw new Error("not expected");
};
const noFetch = noAjax;

async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("loadStatusDocument from the status topic", () => {
  test("reads the first post of the topic", async () => {
    const ajax = async (path) => {
      expect(path).toBe("/t/12.json");
      return {
        post_stream: {
          posts: [{ post_number: 1, cooked: statusPostCooked(document) }],
        },
      };
    };
    const read = await loadStatusDocument(
      { source: "topic", topicId: 12 },
      { ajax, fetch: noFetch }
    );
    expect(read).toEqual(readBack);
  });

  test("is not configured without a topic ID", async () => {
    expect(
      await loadStatusDocument(
        { source: "topic", topicId: 0 },
        { ajax: noAjax, fetch: noFetch }
      )
    ).toBeNull();
  });

  test.each([
    [{ jqXHR: { status: 404 } }, "topic_http", { topic: 12, status: 404 }],
    [{}, "topic_unreachable", { topic: 12 }],
  ])("names the failure: %o", async (rejection, code, params) => {
    const error = await failure(
      loadStatusDocument(
        { source: "topic", topicId: 12 },
        { ajax: () => Promise.reject(rejection), fetch: noFetch }
      )
    );
    expect(error).toBeInstanceOf(StatusFetchError);
    expect([error.code, error.params]).toEqual([code, params]);
  });

  test("says when the topic has no first post", async () => {
    const error = await failure(
      loadStatusDocument(
        { source: "topic", topicId: 12 },
        { ajax: async () => ({ post_stream: { posts: [] } }), fetch: noFetch }
      )
    );
    expect(error).toBeInstanceOf(StatusDocumentError);
    expect(error.message).toBe("topic 12 has no first post");
  });
});

describe("loadStatusDocument from the worker", () => {
  const url = "https://ics-worker.example.org/api/status";

  test("reads the JSON without cookies", async () => {
    const fetch = async (target, init) => {
      expect([target, init.credentials]).toEqual([url, "omit"]);
      return new Response(JSON.stringify(document));
    };
    expect(
      await loadStatusDocument(
        { source: "worker", workerUrl: url },
        { ajax: noAjax, fetch }
      )
    ).toEqual(readBack);
  });

  test.each([
    [
      "ftp://ics-worker.example.org/status",
      noFetch,
      "worker_bad_url",
      { url: "ftp://ics-worker.example.org/status" },
    ],
    [
      url,
      () => Promise.reject(new TypeError("Failed to fetch")),
      "worker_unreachable",
      { url },
    ],
    [
      url,
      async () => new Response("nope", { status: 401 }),
      "worker_http",
      { url, status: 401 },
    ],
  ])("names the failure for %s", async (workerUrl, fetch, code, params) => {
    const error = await failure(
      loadStatusDocument(
        { source: "worker", workerUrl },
        { ajax: noAjax, fetch }
      )
    );
    expect(error).toBeInstanceOf(StatusFetchError);
    expect([error.code, error.params]).toEqual([code, params]);
  });

  test("says when the answer is not JSON", async () => {
    const error = await failure(
      loadStatusDocument(
        { source: "worker", workerUrl: url },
        { ajax: noAjax, fetch: async () => new Response("<html>") }
      )
    );
    expect(error).toBeInstanceOf(StatusDocumentError);
  });

  test("is not configured without a URL", async () => {
    expect(
      await loadStatusDocument(
        { source: "worker", workerUrl: "" },
        { ajax: noAjax, fetch: noFetch }
      )
    ).toBeNull();
  });
});
