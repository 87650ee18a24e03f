// Public surface of the exchange stage; other stages import only from here.
export {};
