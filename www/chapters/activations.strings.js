// Strings of the chapter "activations": keys ch.activations.*; every en key needs a zh translation.
export default {
  en: { 'ch.activations.title': 'activations' },
  zh: { 'ch.activations.title': 'activations' },
};
