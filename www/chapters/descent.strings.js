// Strings of the chapter "descent": keys ch.descent.*; every en key needs a zh translation.
export default {
  en: { 'ch.descent.title': 'descent' },
  zh: { 'ch.descent.title': 'descent' },
};
