/*
 * libclang.h - libclang, loaded when the first clang_* call is made
 * rather than when pkginit starts.
 *
 * Linking -lclang makes every pkginit process map and relocate libclang
 * and LLVM before main: all but 0.3 M of the 26.8 M instructions of a
 * scan answered by the cache (callgrind, samples/hello), and 0.29 x the
 * wall time of `clang -fsyntax-only` per TU on Open vSwitch
 * (spec/performance.md).  A build that runs `pkginit scan` per TU mostly
 * gets cache hits, which need no libclang at all, so the library is
 * opened with dlopen on the first call instead (libclang.c): 0.02 x.
 *
 * A file that calls libclang includes this header after (or instead of)
 * <clang-c/Index.h>; its code stays as it is: each clang_* name below is
 * a macro for the pointer of the same name in a table that is filled on
 * first use.  A clang_* function missing from LIBCLANG_FUNCTIONS is an
 * undefined reference when pkginit links (the tool does not link
 * -lclang): add it to the list and give it its #define below, in the
 * same order (tests/unit/test_libclang.c checks that every listed name
 * has one).
 *
 * When libclang cannot be loaded, the first call prints what to install
 * and exits with status 3 (EXIT_INPUT).
 */
#ifndef PKGINIT_LIBCLANG_H
#define PKGINIT_LIBCLANG_H

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>

struct hash_ctx;

#define LIBCLANG_FUNCTIONS(X)                                                 \
	X(clang_CompilationDatabase_dispose)                                  \
	X(clang_CompilationDatabase_fromDirectory)                            \
	X(clang_CompilationDatabase_getAllCompileCommands)                    \
	X(clang_CompileCommand_getArg)                                        \
	X(clang_CompileCommand_getDirectory)                                  \
	X(clang_CompileCommand_getFilename)                                   \
	X(clang_CompileCommand_getNumArgs)                                    \
	X(clang_CompileCommands_dispose)                                      \
	X(clang_CompileCommands_getCommand)                                   \
	X(clang_CompileCommands_getSize)                                      \
	X(clang_Cursor_getStorageClass)                                       \
	X(clang_Cursor_isFunctionInlined)                                     \
	X(clang_Cursor_isNull)                                                \
	X(clang_IndexAction_create)                                           \
	X(clang_IndexAction_dispose)                                          \
	X(clang_Location_isInSystemHeader)                                    \
	X(clang_PrintingPolicy_dispose)                                       \
	X(clang_createIndex)                                                  \
	X(clang_disposeDiagnostic)                                            \
	X(clang_disposeIndex)                                                 \
	X(clang_disposeString)                                                \
	X(clang_disposeTokens)                                                \
	X(clang_disposeTranslationUnit)                                       \
	X(clang_equalCursors)                                                 \
	X(clang_getCString)                                                   \
	X(clang_getCanonicalType)                                             \
	X(clang_getChildDiagnostics)                                          \
	X(clang_getClangVersion)                                              \
	X(clang_getCursor)                                                    \
	X(clang_getCursorExtent)                                              \
	X(clang_getCursorKind)                                                \
	X(clang_getCursorLinkage)                                             \
	X(clang_getCursorLocation)                                            \
	X(clang_getCursorPrettyPrinted)                                       \
	X(clang_getCursorPrintingPolicy)                                      \
	X(clang_getCursorReferenced)                                          \
	X(clang_getCursorSemanticParent)                                      \
	X(clang_getCursorSpelling)                                            \
	X(clang_getCursorType)                                                \
	X(clang_getDiagnostic)                                                \
	X(clang_getDiagnosticInSet)                                           \
	X(clang_getDiagnosticLocation)                                        \
	X(clang_getDiagnosticOption)                                          \
	X(clang_getDiagnosticSeverity)                                        \
	X(clang_getDiagnosticSpelling)                                        \
	X(clang_getExpansionLocation)                                         \
	X(clang_getFile)                                                      \
	X(clang_getFileLocation)                                              \
	X(clang_getFileName)                                                  \
	X(clang_getIncludedFile)                                              \
	X(clang_getInclusions)                                                \
	X(clang_getLocationForOffset)                                         \
	X(clang_getNullCursor)                                                \
	X(clang_getNumArgTypes)                                               \
	X(clang_getNumDiagnostics)                                            \
	X(clang_getNumDiagnosticsInSet)                                       \
	X(clang_getPointeeType)                                               \
	X(clang_getRangeEnd)                                                  \
	X(clang_getRangeStart)                                                \
	X(clang_getResultType)                                                \
	X(clang_getToken)                                                     \
	X(clang_getTokenExtent)                                               \
	X(clang_getTokenKind)                                                 \
	X(clang_getTokenLocation)                                             \
	X(clang_getTokenSpelling)                                             \
	X(clang_getTranslationUnitCursor)                                     \
	X(clang_getTypeSpelling)                                              \
	X(clang_indexLoc_getCXSourceLocation)                                 \
	X(clang_indexTranslationUnit)                                         \
	X(clang_isConstQualifiedType)                                         \
	X(clang_isCursorDefinition)                                           \
	X(clang_isDeclaration)                                                \
	X(clang_isFunctionTypeVariadic)                                       \
	X(clang_parseTranslationUnit2)                                        \
	X(clang_tokenize)                                                     \
	X(clang_visitChildren)

/* One pointer per function, typed from libclang's own declaration. */
struct libclang_api {
#define LIBCLANG_FIELD(f) __typeof__(f) *f;
	LIBCLANG_FUNCTIONS(LIBCLANG_FIELD)
#undef LIBCLANG_FIELD
};

/* The table once loaded, else NULL. */
extern const struct libclang_api *libclang_loaded;
/* Load libclang (once, whichever thread asks first) and return the
 * table; on failure print the error and exit(EXIT_INPUT). */
const struct libclang_api *libclang_load(void);

static inline const struct libclang_api *libclang_api(void)
{
	const struct libclang_api *a =
		__atomic_load_n(&libclang_loaded, __ATOMIC_ACQUIRE);
	return a ? a : libclang_load();
}

/* The file libclang_load opens: $PKGINIT_LIBCLANG when set, else the
 * library pkginit was built against. */
const char *libclang_path(void);
/* Add what identifies that library to h (its path and file signature,
 * one stat, without loading it): the scan cache's key has it, as a
 * different libclang may parse differently. */
void libclang_fingerprint(struct hash_ctx *h);

/* Every clang_* call goes through the table.  (libclang.c itself, which
 * names the real functions, defines LIBCLANG_NO_REDIRECT.) */
#ifndef LIBCLANG_NO_REDIRECT
#define clang_CompilationDatabase_dispose (libclang_api()->clang_CompilationDatabase_dispose)
#define clang_CompilationDatabase_fromDirectory (libclang_api()->clang_CompilationDatabase_fromDirectory)
#define clang_CompilationDatabase_getAllCompileCommands (libclang_api()->clang_CompilationDatabase_getAllCompileCommands)
#define clang_CompileCommand_getArg (libclang_api()->clang_CompileCommand_getArg)
#define clang_CompileCommand_getDirectory (libclang_api()->clang_CompileCommand_getDirectory)
#define clang_CompileCommand_getFilename (libclang_api()->clang_CompileCommand_getFilename)
#define clang_CompileCommand_getNumArgs (libclang_api()->clang_CompileCommand_getNumArgs)
#define clang_CompileCommands_dispose (libclang_api()->clang_CompileCommands_dispose)
#define clang_CompileCommands_getCommand (libclang_api()->clang_CompileCommands_getCommand)
#define clang_CompileCommands_getSize (libclang_api()->clang_CompileCommands_getSize)
#define clang_Cursor_getStorageClass (libclang_api()->clang_Cursor_getStorageClass)
#define clang_Cursor_isFunctionInlined (libclang_api()->clang_Cursor_isFunctionInlined)
#define clang_Cursor_isNull (libclang_api()->clang_Cursor_isNull)
#define clang_IndexAction_create (libclang_api()->clang_IndexAction_create)
#define clang_IndexAction_dispose (libclang_api()->clang_IndexAction_dispose)
#define clang_Location_isInSystemHeader (libclang_api()->clang_Location_isInSystemHeader)
#define clang_PrintingPolicy_dispose (libclang_api()->clang_PrintingPolicy_dispose)
#define clang_createIndex (libclang_api()->clang_createIndex)
#define clang_disposeDiagnostic (libclang_api()->clang_disposeDiagnostic)
#define clang_disposeIndex (libclang_api()->clang_disposeIndex)
#define clang_disposeString (libclang_api()->clang_disposeString)
#define clang_disposeTokens (libclang_api()->clang_disposeTokens)
#define clang_disposeTranslationUnit (libclang_api()->clang_disposeTranslationUnit)
#define clang_equalCursors (libclang_api()->clang_equalCursors)
#define clang_getCString (libclang_api()->clang_getCString)
#define clang_getCanonicalType (libclang_api()->clang_getCanonicalType)
#define clang_getChildDiagnostics (libclang_api()->clang_getChildDiagnostics)
#define clang_getClangVersion (libclang_api()->clang_getClangVersion)
#define clang_getCursor (libclang_api()->clang_getCursor)
#define clang_getCursorExtent (libclang_api()->clang_getCursorExtent)
#define clang_getCursorKind (libclang_api()->clang_getCursorKind)
#define clang_getCursorLinkage (libclang_api()->clang_getCursorLinkage)
#define clang_getCursorLocation (libclang_api()->clang_getCursorLocation)
#define clang_getCursorPrettyPrinted (libclang_api()->clang_getCursorPrettyPrinted)
#define clang_getCursorPrintingPolicy (libclang_api()->clang_getCursorPrintingPolicy)
#define clang_getCursorReferenced (libclang_api()->clang_getCursorReferenced)
#define clang_getCursorSemanticParent (libclang_api()->clang_getCursorSemanticParent)
#define clang_getCursorSpelling (libclang_api()->clang_getCursorSpelling)
#define clang_getCursorType (libclang_api()->clang_getCursorType)
#define clang_getDiagnostic (libclang_api()->clang_getDiagnostic)
#define clang_getDiagnosticInSet (libclang_api()->clang_getDiagnosticInSet)
#define clang_getDiagnosticLocation (libclang_api()->clang_getDiagnosticLocation)
#define clang_getDiagnosticOption (libclang_api()->clang_getDiagnosticOption)
#define clang_getDiagnosticSeverity (libclang_api()->clang_getDiagnosticSeverity)
#define clang_getDiagnosticSpelling (libclang_api()->clang_getDiagnosticSpelling)
#define clang_getExpansionLocation (libclang_api()->clang_getExpansionLocation)
#define clang_getFile (libclang_api()->clang_getFile)
#define clang_getFileLocation (libclang_api()->clang_getFileLocation)
#define clang_getFileName (libclang_api()->clang_getFileName)
#define clang_getIncludedFile (libclang_api()->clang_getIncludedFile)
#define clang_getInclusions (libclang_api()->clang_getInclusions)
#define clang_getLocationForOffset (libclang_api()->clang_getLocationForOffset)
#define clang_getNullCursor (libclang_api()->clang_getNullCursor)
#define clang_getNumArgTypes (libclang_api()->clang_getNumArgTypes)
#define clang_getNumDiagnostics (libclang_api()->clang_getNumDiagnostics)
#define clang_getNumDiagnosticsInSet (libclang_api()->clang_getNumDiagnosticsInSet)
#define clang_getPointeeType (libclang_api()->clang_getPointeeType)
#define clang_getRangeEnd (libclang_api()->clang_getRangeEnd)
#define clang_getRangeStart (libclang_api()->clang_getRangeStart)
#define clang_getResultType (libclang_api()->clang_getResultType)
#define clang_getToken (libclang_api()->clang_getToken)
#define clang_getTokenExtent (libclang_api()->clang_getTokenExtent)
#define clang_getTokenKind (libclang_api()->clang_getTokenKind)
#define clang_getTokenLocation (libclang_api()->clang_getTokenLocation)
#define clang_getTokenSpelling (libclang_api()->clang_getTokenSpelling)
#define clang_getTranslationUnitCursor (libclang_api()->clang_getTranslationUnitCursor)
#define clang_getTypeSpelling (libclang_api()->clang_getTypeSpelling)
#define clang_indexLoc_getCXSourceLocation (libclang_api()->clang_indexLoc_getCXSourceLocation)
#define clang_indexTranslationUnit (libclang_api()->clang_indexTranslationUnit)
#define clang_isConstQualifiedType (libclang_api()->clang_isConstQualifiedType)
#define clang_isCursorDefinition (libclang_api()->clang_isCursorDefinition)
#define clang_isDeclaration (libclang_api()->clang_isDeclaration)
#define clang_isFunctionTypeVariadic (libclang_api()->clang_isFunctionTypeVariadic)
#define clang_parseTranslationUnit2 (libclang_api()->clang_parseTranslationUnit2)
#define clang_tokenize (libclang_api()->clang_tokenize)
#define clang_visitChildren (libclang_api()->clang_visitChildren)
#endif

#endif /* PKGINIT_LIBCLANG_H */
