// Public surface of the api stage; other stages import only from here.
export {};
