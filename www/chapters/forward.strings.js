// Strings of the chapter "forward": keys ch.forward.*; every en key needs a zh translation.
export default {
  en: { 'ch.forward.title': 'forward' },
  zh: { 'ch.forward.title': 'forward' },
};
