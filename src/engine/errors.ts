// Python exceptions as the engine raises them: the type name and message torch (or CPython) would give.

export class PythonError extends Error {
  constructor(readonly pyType: string, message: string) {
    super(message);
    this.name = pyType;
  }
}

export const valueError = (message: string) => new PythonError('ValueError', message);
export const typeError = (message: string) => new PythonError('TypeError', message);
export const keyError = (message: string) => new PythonError('KeyError', message);
export const runtimeError = (message: string) => new PythonError('RuntimeError', message);
export const zeroDivisionError = (message = 'float division by zero') => new PythonError('ZeroDivisionError', message);

/**
 * Raised when LR Lens cannot evaluate something (Python it does not model, an unresolved name):
 * reported as such, never guessed. Its pyType is not a Python exception name on purpose.
 */
export class UnsupportedError extends PythonError {
  constructor(message: string) {
    super('Unsupported', message);
  }
}
