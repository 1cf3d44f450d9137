// Strings of the chapter "pooling": keys ch.pooling.*; every en key needs a zh translation.
export default {
  en: { 'ch.pooling.title': 'pooling' },
  zh: { 'ch.pooling.title': 'pooling' },
};
