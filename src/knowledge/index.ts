// Public surface of the knowledge stage; other stages import only from here.
export {};
