// What the knowledge store needs from an embedding model.

export interface Embedder {
  /**
   * Identifies the vector space: two embedders with the same name give comparable vectors. Recorded with every
   * stored vector, so a store never mixes vectors from two embedders.
   */
  readonly name: string;
  /** Vector length; 0 until learned from the first response when an endpoint's model was not given one. */
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
