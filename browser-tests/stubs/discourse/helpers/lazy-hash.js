export default function lazyHash(values) {
  return values;
}
