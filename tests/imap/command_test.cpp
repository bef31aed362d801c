#include <gtest/gtest.h>

#include "proto/imap/command.h"
