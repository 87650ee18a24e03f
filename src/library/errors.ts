// Error codes of the library stage (thrown as PlayforgeError).
export const LIBRARY_NOT_FOUND = 'LIBRARY_NOT_FOUND';
export const LIBRARY_NOT_VETTED = 'LIBRARY_NOT_VETTED';
export const LIBRARY_BAD_NAME = 'LIBRARY_BAD_NAME';
export const LIBRARY_INPUT = 'LIBRARY_INPUT';
