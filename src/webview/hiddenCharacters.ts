/**
 * Invisible and direction-changing characters can hide instructions from a reviewer. Read-only views
 * show them as visible markers; editable fields keep the text exact and show a count instead.
 * The table is the shared one (src/shared/hiddenCharacters.ts), the same the host warns with.
 */
export { countHiddenCharacters, revealHiddenCharacters } from '../shared/hiddenCharacters';
