// Tests answer requests by path: setAjaxResponses({ "/t/5.json": {...} | Error }).
let responses = {};
export const requests = [];

export function setAjaxResponses(map) {
  responses = map;
  requests.length = 0;
}

export async function ajax(path) {
  requests.push(path);
  const response = responses[path];
  if (response === undefined) {
    throw new Error(`no stubbed response for ${path}`);
  }
  if (response instanceof Error) {
    throw response;
  }
  return structuredClone(response);
}
