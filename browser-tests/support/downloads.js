// Catches files the page saves through an object URL and a download link, so tests can read them.
export function captureDownloads() {
  const downloads = [];
  const blobs = new Map();
  const originalCreateObjectURL = URL.createObjectURL;
  const originalClick = HTMLAnchorElement.prototype.click;

  URL.createObjectURL = (blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  };
  HTMLAnchorElement.prototype.click = function () {
    if (this.download) {
      downloads.push({ name: this.download, blob: blobs.get(this.href) });
    } else {
      originalClick.call(this);
    }
  };

  return {
    downloads,
    restore() {
      URL.createObjectURL = originalCreateObjectURL;
      HTMLAnchorElement.prototype.click = originalClick;
    },
  };
}
