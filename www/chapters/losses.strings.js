// Strings of the chapter "losses": keys ch.losses.*; every en key needs a zh translation.
export default {
  en: { 'ch.losses.title': 'losses' },
  zh: { 'ch.losses.title': 'losses' },
};
