/** English: the search screen and results. */
export const search = {
  "search.hint":
    "Type in the search field above (Ctrl K): English words from their start, any two characters of Chinese.",
  "search.none": "Nothing found.",
  "search.results": "Search results",
} as const;
