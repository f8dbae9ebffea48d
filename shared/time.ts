/** Calendar dates are Swedish: a consent recorded "today" in Timrå is today even when UTC is still yesterday. */
const swedishDate = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** YYYY-MM-DD of the given instant in Sweden. */
export const swedishDateOf = (instant: Date): string => swedishDate.format(instant);

/** Midnight UTC of the Swedish calendar day, for date-only arithmetic such as ages. */
export const swedishDay = (instant: Date): Date => new Date(`${swedishDateOf(instant)}T00:00:00Z`);
