// Strings of the chapter "convolution": keys ch.convolution.*; every en key needs a zh translation.
export default {
  en: { 'ch.convolution.title': 'convolution' },
  zh: { 'ch.convolution.title': 'convolution' },
};
