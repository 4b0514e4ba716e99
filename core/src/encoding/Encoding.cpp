//
// Encoding.cpp
//

#include "encoding/Encoding.h"
#include "PostHog/Array.h"
#include "PostHog/Properties.h"
#include "encoding/PropertiesAccess.h"

namespace PostHog
{
namespace Encoding
{

void putValue(std::string& out, const Value& value)
{
	switch (value.type())
	{
	case Value::NullType:
		out.push_back(static_cast<char>(TagNull));
		break;
	case Value::BoolType:
		out.push_back(static_cast<char>(value.getBool() ? TagTrue : TagFalse));
		break;
	case Value::IntType:
		out.push_back(static_cast<char>(TagInt));
		putVarint(out, zigzag(value.getInt()));
		break;
	case Value::DoubleType:
	{
		double d = value.getDouble();
		char buf[1 + sizeof d];
		buf[0] = static_cast<char>(TagDouble);
		std::memcpy(buf + 1, &d, sizeof d);
		out.append(buf, sizeof buf);
		break;
	}
	case Value::StringType:
		out.push_back(static_cast<char>(TagString));
		putString(out, value.getString());
		break;
	case Value::ArrayType:
		out.push_back(static_cast<char>(TagArray));
		putVarint(out, value.size());
		out.append(PropertiesAccess::rawData(value), PropertiesAccess::rawSize(value));
		break;
	case Value::ObjectType:
		out.push_back(static_cast<char>(TagObject));
		putVarint(out, value.size());
		out.append(PropertiesAccess::rawData(value), PropertiesAccess::rawSize(value));
		break;
	}
}

char* writeValue(char* o, const Value& value)
{
	switch (value.type())
	{
	case Value::NullType:
		*o++ = static_cast<char>(TagNull);
		return o;
	case Value::BoolType:
		*o++ = static_cast<char>(value.getBool() ? TagTrue : TagFalse);
		return o;
	case Value::IntType:
		*o++ = static_cast<char>(TagInt);
		return writeVarint(o, zigzag(value.getInt()));
	case Value::DoubleType:
	{
		double d = value.getDouble();
		*o++ = static_cast<char>(TagDouble);
		std::memcpy(o, &d, sizeof d);
		return o + sizeof d;
	}
	case Value::StringType:
		*o++ = static_cast<char>(TagString);
		return writeString(o, value.getString());
	case Value::ArrayType:
	case Value::ObjectType:
		*o++ = static_cast<char>(value.type() == Value::ArrayType ? TagArray : TagObject);
		o = writeVarint(o, value.size());
		if (PropertiesAccess::rawSize(value))
			std::memcpy(o, PropertiesAccess::rawData(value), PropertiesAccess::rawSize(value));
		return o + PropertiesAccess::rawSize(value);
	}
	return o;
}

const char* skipValue(const char* p)
{
	auto tag = static_cast<unsigned char>(*p++);
	std::uint64_t n;
	switch (tag)
	{
	case TagInt:
		return getVarint(p, n);
	case TagDouble:
		return p + sizeof(double);
	case TagString:
		p = getVarint(p, n);
		return p + n;
	case TagArray:
		p = getVarint(p, n);
		while (n--)
			p = skipValue(p);
		return p;
	case TagObject:
		p = getVarint(p, n);
		while (n--)
		{
			std::uint64_t len;
			p = getVarint(p, len);
			p = skipValue(p + len);
		}
		return p;
	default:
		return p;
	}
}

} // namespace Encoding
} // namespace PostHog
