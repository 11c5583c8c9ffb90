/**
 * A sensor or image grid (width × height cells, integer coordinates from 0) and its check, shared
 * by the event sources (which validate their sensor) and the operators that map between grids.
 */
export interface GridSize {
  readonly width: number;
  readonly height: number;
}

/** Throws a RangeError naming `what` unless `g` has positive integer sides. */
export const checkGrid = (what: string, g: GridSize): void => {
  if (!(Number.isInteger(g.width) && g.width > 0 && Number.isInteger(g.height) && g.height > 0)) {
    throw new RangeError(`${what}: grid must have positive integer width and height, got ${g.width}×${g.height}`);
  }
};
