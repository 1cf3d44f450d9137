// Strings of the chapter "neuron": keys ch.neuron.*; every en key needs a zh translation.
export default {
  en: { 'ch.neuron.title': 'neuron' },
  zh: { 'ch.neuron.title': 'neuron' },
};
