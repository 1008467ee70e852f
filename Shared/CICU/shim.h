#ifndef HOTLINE_CICU_SHIM_H
#define HOTLINE_CICU_SHIM_H
/* Unicode NFKC from the ICU that ships with Swift (lib_FoundationICU, its symbols prefixed
   swift_; FoundationInternationalization loads it for time zones anyway). The services link
   FoundationEssentials only, which has no compatibility normalisation
   (`precomposedStringWithCompatibilityMapping` is Foundation's): Hotspots folds addresses
   with it. Declared here rather than through ICU's headers, which Swift does not install
   as a module. */
#include <stdint.h>
typedef struct UNormalizer2 UNormalizer2;
const UNormalizer2 *swift_unorm2_getNFKCInstance(int *errorCode);
int32_t swift_unorm2_normalize(const UNormalizer2 *normalizer, const uint16_t *source, int32_t length,
                               uint16_t *destination, int32_t capacity, int *errorCode);
#endif
